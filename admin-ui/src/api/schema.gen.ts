/**
 * GENERATED from the server's OpenAPI document by `npm run api:types` — do not edit.
 * A test (admin-ui/test/api-types.test.ts) fails when it no longer matches the server.
 */
export interface paths {
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in with email and password */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['LoginResult'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_credentials */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: account_disabled */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: too_many_attempts */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sms-code': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a 6-digit sign-in code by SMS */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            mobile: string;
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {boolean} */
              sent: true;
              expiresInSeconds: number;
              resendAfterSeconds: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: too_many_attempts */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login-sms': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in with a mobile number and SMS code */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            mobile: string;
            code: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['LoginResult'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_sms_code */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: account_disabled */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: too_many_attempts */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Trade a refresh token for a new token pair (the old one stops working) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            refreshToken: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['LoginResult'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_refresh_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke a refresh token (and the tokens rotated from it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            refreshToken: string;
          };
        };
      };
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/unlock-sign-in': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Clear a user's sign-in throttle (delays earned by failed passwords or SMS codes) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description Throttle entries removed (0 = nothing was throttled) */
              cleared: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenant': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your tenant: name, edition (ED-01) and settings */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Tenant'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change your tenant name or settings (settings as in PATCH /tenant/settings) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            settings?: components['schemas']['TenantSettingsPatch'];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Tenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/tenant/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every tenant setting, typed, with its effective value (defaults filled in) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantSettingsAnswer'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change tenant settings: keys left out keep their value, null restores a default; an unknown key is refused (400 validation_failed naming the nearest valid key) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description RT-07: hide customers’ numbers from agents everywhere (the middle four digits masked in calls, records, events) */
            numberProtection?: boolean | null;
            /**
             * @description The tenant’s IANA time zone: “today” in routing (RT-02), IVR clock variables and working hours without their own zone
             * @example Asia/Shanghai
             */
            timezone?: string | null;
            /**
             * Format: uri
             * @description Music a customer hears on hold (CTL-01), an http(s) URL of an audio file; null = the built-in music
             * @example https://example.com/hold.mp3
             */
            holdMusicUrl?: string | null;
            /** @description IVR-02: the text-to-speech voice of spoken prompts `{ vendor, language?, voice? }`; null = the provider’s default */
            tts?: {
              vendor: string;
              language?: string;
              voice?: string;
            } | null;
            /** @description Agent settings: rest reasons (小休), state after sign-in (AGT-02), wrap-up length and auto end (RT-06), last agent first (RT-04), preferred-agent wait (IVR-21), outbound memory (OUT-12/13). Also at `/settings/agent`. Fields sent replace those stored; null resets all */
            agent?: {
              /** @description Reasons an agent may pick for rest (小休); at most 30, unique */
              restReasons?: string[];
              /**
               * @description State an agent enters on signing in to take calls (AGT-02): idle or notReady (示忙)
               * @enum {string}
               */
              defaultLoginState?: 'idle' | 'notReady';
              /** @description After-call work (话后整理) in seconds, 0–3600; 0 = straight back to idle; null = server default */
              wrapUpSeconds?: number | null;
              /** @description End wrap-up by itself after wrapUpSeconds (RT-06); false = the agent ends it (CTL-06) */
              wrapUpAutoEnd?: boolean;
              /** @description Offer a caller to the agent who served their last call (RT-04) */
              lastAgentFirst?: boolean;
              /** @description IVR-21: seconds a caller waits for a busy preferred agent, 0–600 */
              preferredAgentWaitSeconds?: number;
              /** @description OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent; 0 = off */
              outboundMemoryDays?: number;
              /**
               * @description When that agent is not free: `wait` for them (the preferred-agent wait, then their group); `ivr` (advanced edition, OUT-13): the number’s IVR instead
               * @enum {string}
               */
              outboundMemoryFallback?: 'wait' | 'ivr';
            } | null;
            /** @description Let push subscriptions and IVR HTTP nodes reach private and loopback addresses (10.x, 192.168.x, 127.0.0.1 …); off, only public addresses are called (SSRF guard) */
            allowPrivateUrls?: boolean | null;
            /**
             * @description SDK: the web origins (scheme://host[:port]) of the pages that may embed the workbench and talk to it (postMessage, frame-ancestors), at most 20; none = no page may. Replaces the whole list
             * @example [
             *       "https://crm.example.com"
             *     ]
             */
            sdkOrigins?: string[] | null;
            /** @description Working-hour calendars with holidays and special days (IVR-01), at most 50. Replaces the whole list */
            calendars?: components['schemas']['WorkingHoursCalendar'][] | null;
            /** @description OUT-11 (advanced): the satisfaction survey a customer hears when the agent hangs up first on a call the agent placed; the key pressed goes into the record. null = no survey. Replaces the whole template */
            outboundSurvey?: {
              /** @description Spoken (TTS) invitation, e.g. “请对本次服务评价，满意请按1，不满意请按2” */
              prompt: string;
              /** @description Keys and what they mean; the label goes into the record (`satisfaction`) */
              options: {
                key: string;
                label: string;
              }[];
              /** @description Said after a valid key, before hanging up */
              thanksPrompt?: string;
              /** @description Said before asking again after a wrong key */
              invalidPrompt?: string;
              /** @description Said before asking again after silence */
              timeoutPrompt?: string;
              /** @default 8 */
              timeoutSeconds?: number;
              /**
               * @description Asks again after a wrong key or silence
               * @default 1
               */
              maxRetries?: number;
            } | null;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantSettingsAnswer'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: edition_required (an advanced-edition value on a standard tenant) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/tenant/settings/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete one stored setting: a declared key goes back to its default, an unknown one is cleared */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          key: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantSettingsAnswer'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List users of your tenant */
    get: {
      parameters: {
        query?: {
          role?: 'admin' | 'supervisor' | 'agent';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['User'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a user */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string;
            name: string;
            staffNo: string;
            /** @enum {string} */
            role: 'admin' | 'supervisor' | 'agent';
            mobile?: string;
            password?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a user */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a user */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email?: string;
            name?: string;
            staffNo?: string;
            /** @enum {string} */
            role?: 'admin' | 'supervisor' | 'agent';
            mobile?: string | null;
            password?: string;
            /** @enum {string} */
            status?: 'active' | 'disabled';
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['User'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API keys (never their secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['ApiKey'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an API key; the key is shown only in this response */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            scopes: (
              | 'tenant:read'
              | 'tenant:write'
              | 'users:read'
              | 'users:write'
              | 'api-keys:read'
              | 'api-keys:write'
              | 'realtime:connect'
              | 'records:read'
              | 'recordings:read'
              | 'ivr:read'
              | 'ivr:write'
              | 'routing:write'
              | 'sdk:login'
              | 'calls:dial'
            )[];
            /** Format: date-time */
            expiresAt?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              key: string;
              apiKey: components['schemas']['ApiKey'];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/push/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s push subscriptions (never their secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['PushSubscription'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Subscribe a URL to call records and/or recordings; the signing secret is shown only in this answer (docs/push.md) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /**
             * Format: uri
             * @example https://crm.example.com/hooks/switchboard
             */
            url: string;
            /** @description `record.created` (a call record, REC-03) and/or `recording.ready` (REC-08) */
            eventTypes: ('record.created' | 'recording.ready')[];
            auth: components['schemas']['PushAuthInput'];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              subscription: components['schemas']['PushSubscription'];
              signingSecret: string;
            };
          };
        };
        /** @description Error codes: validation_failed */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/push/subscriptions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One push subscription */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PushSubscription'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a subscription and its delivery log */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a subscription; `state: active` resumes a paused one and sends what it held, in order */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            /**
             * Format: uri
             * @example https://crm.example.com/hooks/switchboard
             */
            url?: string;
            /** @description `record.created` (a call record, REC-03) and/or `recording.ready` (REC-08) */
            eventTypes?: ('record.created' | 'recording.ready')[];
            auth?: components['schemas']['PushAuthInput'];
            /** @enum {string} */
            state?: 'active' | 'paused';
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PushSubscription'];
          };
        };
        /** @description Error codes: validation_failed */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/push/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The delivery log, newest first (cursor paging) */
    get: {
      parameters: {
        query?: {
          subscriptionId?: string;
          state?: 'pending' | 'delivered' | 'failed' | 'held';
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['PushDelivery'][];
              nextCursor: string | null;
            };
          };
        };
        /** @description Error codes: validation_failed */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/push/deliveries/{id}/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a delivery again, with the same delivery id */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PushDelivery'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sdk/login-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a one-time SDK login token for an agent, valid 10 minutes (like TCCC CreateSDKLoginToken) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description The agent: their email (as TCCC `SeatUserId`) or user id
             * @example agent@demo.local
             */
            seatUserId: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SdkLoginToken'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: account_disabled */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sdk/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Trade an SDK login token for a token pair (the embedded workbench does this once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            token: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['LoginResult'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_sdk_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: account_disabled */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: too_many_attempts */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sdk/embed/{tenantId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The origins that may embed a tenant’s workbench (the embedded page checks postMessage against them) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          tenantId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SdkEmbedConfig'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/realtime/tickets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue a one-time ticket to open the realtime WebSocket */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RealtimeTicket'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/realtime/notices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Broadcast a notice to the tenant, a role, or one user over the realtime socket */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NoticeRequest'];
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NoticeAccepted'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your agent state */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Agent'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/me/state': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set your state: idle, notReady, rest (with one of the tenant’s reasons) or offline */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            state: 'idle' | 'notReady' | 'rest' | 'offline';
            reason?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Agent'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_state_transition */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/me/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Go online: an offline agent enters the tenant’s default login state (AGT-02) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Agent'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/me/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Go offline (refused while ringing or on a call) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Agent'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_state_transition */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}/force-offline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Force an agent offline (ADM-12): a ringing offer goes to another agent, a call in progress is not cut, and the agent’s realtime sockets are closed (code 4003) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Agent'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/settings/agent': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Agent settings: rest reasons, default login state, wrap-up, last agent first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentSettings'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Change agent settings (fields left out keep their value; wrapUpSeconds null = server default) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AgentSettingsPatch'];
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentSettings'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: edition_required (outboundMemoryFallback `ivr` is of the advanced edition) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Agents of your tenant (ADM-11): name, staff number, email, groups and state; q searches staff number, name and email; paged and sorted on the server */
    get: {
      parameters: {
        query?: {
          q?: string;
          skillGroupId?: string;
          status?: 'active' | 'disabled';
          state?: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
          role?: 'admin' | 'supervisor' | 'agent';
          sort?: 'staffNo' | 'name' | 'email' | 'state' | 'createdAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['AgentListItem'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Add an agent (ADM-08; ADM-10 with an API key): a random password is mailed to them; softphone credentials are provisioned */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /** Format: email */
            email: string;
            staffNo: string;
            mobile?: string;
            /**
             * @description agent by default; a supervisor or admin who also takes calls
             * @default agent
             * @enum {string}
             */
            role?: 'admin' | 'supervisor' | 'agent';
            /** @default [] */
            skillGroupIds?: string[];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedAgent'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (email, mobile or staff number taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add agents from a CSV or XLSX file (ADM-09): all rows or none; at most 500. A file with problems answers 422 import_invalid with each row, column and message */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The file itself (`curl --data-binary @agents.xlsx …/api/v1/agents/import`); CSV (UTF-8) or XLSX is told from the bytes. The first row names the columns: name (姓名), email (邮箱), staffNo (工号) required; mobile (手机), skillGroups (技能组, names separated by ;). At most 2 MiB. */
      requestBody: {
        content: {
          'text/csv': string;
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': string;
          'application/octet-stream': string;
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              created: number;
              items: {
                /** Format: uuid */
                userId: string;
                name: string;
                email: string;
                staffNo: string;
                /** @description Whether the random password left by mail (false: no mail transport; reset it once SMTP_URL is set) */
                passwordSent: boolean;
                row: number;
              }[];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unsupported_media_type (not CSV UTF-8 or XLSX) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: import_invalid (details.errors: [{ row, column, message }]) */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One agent with groups and state (ADM-11) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentListItem'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Rename an agent and/or set their skill groups (ADM-11; priorities of groups kept stay) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            skillGroupIds?: string[];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentListItem'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/agents/{userId}/reset-password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reset an agent’s password (ADM-13): a new random one is mailed; every session of theirs ends and the softphone password rotates */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {boolean} */
              passwordSent: true;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: mail_failed */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable an agent: forced offline (ADM-12), signed out everywhere, cannot sign in */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentListItem'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (yourself) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a disabled agent again */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentListItem'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tenants, newest first, with paging; q searches slug and name */
    get: {
      parameters: {
        query?: {
          page?: number;
          pageSize?: number;
          q?: string;
          status?: 'active' | 'disabled';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['PlatformTenant'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a tenant with its edition, time zone and first admin, who gets a random password by mail (initialPassword is answered only when no mail carried it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewTenant'];
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedTenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{ref}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One tenant by id or slug */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Tenant id or slug */
          ref: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PlatformTenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found, platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Rename a tenant or change its edition (ED-01) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Tenant id or slug */
          ref: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            /** @enum {string} */
            edition?: 'standard' | 'advanced';
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PlatformTenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found, platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/platform/tenants/{ref}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a tenant: its users cannot sign in, their access tokens and sockets end at once, its API keys stop working */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Tenant id or slug */
          ref: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PlatformTenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found, platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{ref}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a disabled tenant again (tokens issued before it was disabled stay ended) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Tenant id or slug */
          ref: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PlatformTenant'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found, platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/dev/mail': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Demo mode without SMTP_URL: mail the server would have sent to people of your tenant (new passwords), newest first */
    get: {
      parameters: {
        query?: {
          to?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['DevMail'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plugins': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The plugins of this installation and, for your tenant, whether each is on and its settings (secrets never sent) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['TenantPlugin'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plugins/ui': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the plugins serving your tenant add to the workbench (typed UI contributions): card slots, and the agent actions your role may use — each a button with a small form posted to the plugin’s own route as you */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PluginUi'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plugins/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One plugin for your tenant */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantPlugin'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Turn a plugin on or off for your tenant and save its settings: a secret left out keeps its value, null clears it; turning on needs settings that pass the plugin’s schema */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            enabled: boolean;
            settings?: {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['TenantPlugin'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/skill-groups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Skill groups with their routing strategy, members and head counts (ADM-06, API-03); q searches the name; paged and sorted on the server */
    get: {
      parameters: {
        query?: {
          q?: string;
          type?: 'inbound' | 'outbound';
          sort?: 'name' | 'type' | 'strategy' | 'memberCount' | 'createdAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['SkillGroup'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a skill group (ADM-06): name, inbound or outbound, strategy, ring timeout and its switch (RT-05), members with priorities (ADM-07) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /**
             * @default inbound
             * @enum {string}
             */
            type?: 'inbound' | 'outbound';
            /**
             * @default longest-idle
             * @enum {string}
             */
            strategy?: 'longest-idle' | 'fewest-calls' | 'priority';
            /** @default 20 */
            ringTimeoutSeconds?: number;
            /** @default true */
            ringTimeoutTransfer?: boolean;
            /** @default 60 */
            maxRingSeconds?: number;
            /**
             * Format: uuid
             * @default null
             */
            overflowSkillGroupId?: string | null;
            /** @default null */
            wrapUpSeconds?: number | null;
            /** @default null */
            wrapUpAutoEnd?: boolean | null;
            /**
             * @description The group’s whole membership: each user once, priority 1 (offered first) … 5 (ADM-07)
             * @default []
             */
            members?: {
              /** Format: uuid */
              userId: string;
              priority: number;
            }[];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed (details.field overflowSkillGroupId: itself or not a group of the tenant) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (a member is not a user of the tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (the name is taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/skill-groups/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One skill group with its members (ADM-06/07) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a skill group (ADM-06); refused while an IVR flow (any version), a number, another group’s overflow or a call in progress uses it */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: skill_group_in_use (details.flows, details.numbers, details.overflowFrom and details.liveCalls say what uses it) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a skill group: name, inbound or outbound (OUT-07), strategy (RT-01…03), ring timeout re-offer on/off and ring times (RT-05), overflow group (IVR-20), wrap-up (RT-06); members, when sent, replace the membership (ADM-07) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            /** @enum {string} */
            type?: 'inbound' | 'outbound';
            /** @enum {string} */
            strategy?: 'longest-idle' | 'fewest-calls' | 'priority';
            ringTimeoutSeconds?: number;
            ringTimeoutTransfer?: boolean;
            maxRingSeconds?: number;
            /** Format: uuid */
            overflowSkillGroupId?: string | null;
            wrapUpSeconds?: number | null;
            wrapUpAutoEnd?: boolean | null;
            /** @description The group’s whole membership: each user once, priority 1 (offered first) … 5 (ADM-07) */
            members?: {
              /** Format: uuid */
              userId: string;
              priority: number;
            }[];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed (details.field overflowSkillGroupId: itself or not a group of the tenant) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (the name is taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/skill-groups/{id}/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set the whole membership of a skill group at once, with priorities 1–5 (ADM-07) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The group’s whole membership: each user once, priority 1 (offered first) … 5 (ADM-07) */
            members: {
              /** Format: uuid */
              userId: string;
              priority: number;
            }[];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (the group, or a member who is not a user of the tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/skill-groups/{id}/members/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Add a member or change their priority, 1 (offered first) … 5 (ADM-07) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          userId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            priority: number;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Remove a member from a skill group */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/skill-groups/{id}/numbers/{numberId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Link one of the tenant’s numbers to an outbound skill group: its agents show it when dialling out (OUT-07) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          numberId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SkillGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Unlink a number from an outbound skill group (OUT-07) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          numberId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/records': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Call records, newest first; filtered on the server; paged with `before`/`after` cursors, or numbered with `page` (REC-01) */
    get: {
      parameters: {
        query?: {
          limit?: number;
          /** @description Older page: calls started before this time (the last `startedAt` of a page) */
          before?: string;
          /** @description Newer page: the calls started just after this time (the first `startedAt` of a page), still newest first; not with `before` */
          after?: string;
          /** @description Numbered paging (admin lists): page `page` of `pageSize`, sorted by `sort`/`order`; the answer has `total`. Not with `before`/`after` */
          page?: number;
          pageSize?: number;
          sort?: 'startedAt' | 'durationSeconds';
          order?: 'asc' | 'desc';
          /** @description `true`: only calls you took part in (served, transferred to you, placed by you). Agents always get only theirs. */
          mine?: '0' | '1' | 'true' | 'false';
          direction?: 'inbound' | 'outbound' | 'internal';
          /** @description `true`: only calls that connected (end status `ok`); `false`: only the others */
          connected?: '0' | '1' | 'true' | 'false';
          /** @description Access status: one end status (`ok`, `waitingGiveUp`, `notAnswer`…) */
          status?:
            | 'ok'
            | 'blackList'
            | 'ivrGiveUp'
            | 'waitingGiveUp'
            | 'ringingGiveUp'
            | 'noSeatOnline'
            | 'notWorkTime'
            | 'ivrEnd'
            | 'notAnswer'
            | 'userReject'
            | 'numberNotExist'
            | 'busy'
            | 'operatorError'
            | 'callerCancel'
            | 'notInService'
            | 'clientError'
            | 'numberInvalid'
            | 'callerCancelWhileRing';
          /** @description The agent who served or placed the call */
          agentId?: string;
          /** @description The skill group that served the call or that it queued for */
          skillGroupId?: string;
          /** @description Digits found in the caller's or callee's number; for agents under number protection only the last four digits of the customer's number are searched */
          number?: string;
          /** @description Text found in the customer’s ID under number mapping (RT-08): what agents see instead of the number. Agents never find such a call by its number */
          customerId?: string;
          /** @description Calls started at or after this time */
          from?: string;
          /** @description Calls started before this time */
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Cdr'][];
              /** @description With `page`: how many records match */
              total?: number;
              page?: number;
              pageSize?: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/records/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the filtered records as CSV or XLSX (streamed; `lang=zh-CN` default headers, or `en`) (REC-01) */
    get: {
      parameters: {
        query?: {
          format?: 'csv' | 'xlsx';
          lang?: 'zh-CN' | 'en';
          /** @description `true`: only calls you took part in (served, transferred to you, placed by you). Agents always get only theirs. */
          mine?: '0' | '1' | 'true' | 'false';
          direction?: 'inbound' | 'outbound' | 'internal';
          /** @description `true`: only calls that connected (end status `ok`); `false`: only the others */
          connected?: '0' | '1' | 'true' | 'false';
          /** @description Access status: one end status (`ok`, `waitingGiveUp`, `notAnswer`…) */
          status?:
            | 'ok'
            | 'blackList'
            | 'ivrGiveUp'
            | 'waitingGiveUp'
            | 'ringingGiveUp'
            | 'noSeatOnline'
            | 'notWorkTime'
            | 'ivrEnd'
            | 'notAnswer'
            | 'userReject'
            | 'numberNotExist'
            | 'busy'
            | 'operatorError'
            | 'callerCancel'
            | 'notInService'
            | 'clientError'
            | 'numberInvalid'
            | 'callerCancelWhileRing';
          /** @description The agent who served or placed the call */
          agentId?: string;
          /** @description The skill group that served the call or that it queued for */
          skillGroupId?: string;
          /** @description Digits found in the caller's or callee's number; for agents under number protection only the last four digits of the customer's number are searched */
          number?: string;
          /** @description Text found in the customer’s ID under number mapping (RT-08): what agents see instead of the number. Agents never find such a call by its number */
          customerId?: string;
          /** @description Calls started at or after this time */
          from?: string;
          /** @description Calls started before this time */
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/csv': string;
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': string;
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/records/{sessionId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The record of one call */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          sessionId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CdrDetail'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/blacklist': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Blacklisted numbers (CTL-08), newest first; q searches the number (digits) and the reason; paged and sorted on the server */
    get: {
      parameters: {
        query?: {
          q?: string;
          sort?: 'createdAt' | 'number' | 'expiresAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['BlacklistEntry'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Blacklist a number (CTL-08) with a reason and an optional expiry; a listed number gets the new reason and expiry */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            number: string;
            reason?: string;
            /**
             * Format: date-time
             * @description When calls are let through again; left out = never
             */
            expiresAt?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BlacklistEntry'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/blacklist/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Take a number off the blacklist: its calls are let through again */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/recordings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a session's recordings */
    get: {
      parameters: {
        query: {
          sessionId: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Recording'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden (agents: not a call of theirs) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/recordings/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Fetch a recording (audio/mpeg; supports Range requests) */
    get: {
      parameters: {
        query?: {
          /** @description `1`: send as an attachment named `<sessionId>-<recordingId>.mp3` */
          download?: '0' | '1' | 'true' | 'false';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden (agents: not a call of theirs) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: range_not_satisfiable */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/recordings/{id}/playback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A short-lived link the browser plays the recording from, with Range requests (REC-05) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RecordingPlayback'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden (agents: not a call of theirs) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/recordings/{id}/media': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Play a recording from its signed playback link (audio/mpeg; supports Range requests) */
    get: {
      parameters: {
        query: {
          /** @description Tenant of the recording (covered by the signature) */
          t: string;
          /** @description Expiry, epoch seconds */
          exp: number;
          sig: string;
          download?: '0' | '1' | 'true' | 'false';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'audio/mpeg': string;
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: media_signature_invalid (wrong or expired link) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: range_not_satisfiable */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List IVR flows, a page at a time, filtered by name (IVR-33) */
    get: {
      parameters: {
        query?: {
          /** @description Part of the name (case ignored) */
          q?: string;
          sort?: 'name' | 'updatedAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['IvrFlowSummary'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an IVR flow; its first version is published (IVR-33) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            graph: components['schemas']['IvrGraph'];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlow'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows/validate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check a graph without saving it: every problem, each naming its node */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            graph: components['schemas']['IvrGraph'];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              problems: components['schemas']['IvrProblem'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An IVR flow: its published graph and the numbers bound to it (IVR-33) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlow'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Save a new version and publish it: new calls take it, calls in progress keep theirs (IVR-34) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            graph: components['schemas']['IvrGraph'];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlow'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Delete an IVR flow; refused while a number is bound to it or calls are in it (IVR-33) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: flow_in_use */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows/{id}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Versions of a flow (IVR-35) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['IvrFlowVersionSummary'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Derive a named version from the published one (or `fromVersion`), optionally with a new graph (IVR-35) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            label: string;
            fromVersion?: number;
            graph?: components['schemas']['IvrGraph'];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlowVersion'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows/{id}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One version of a flow, with its graph (IVR-35) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlowVersion'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Edit a named version that has never been published (IVR-35) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          version: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            label?: string;
            graph?: components['schemas']['IvrGraph'];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlowVersion'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: version_frozen, conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Delete a version; refused for the published one and while calls run on it (IVR-35) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: flow_in_use */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-flows/{id}/published-version': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Choose the version new calls to the flow’s numbers use (IVR-35) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: number;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrFlow'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/numbers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Numbers of the tenant with group, IVR binding, outbound groups and agent-mobile use (ADM-02…05); q searches number and label; paged and sorted on the server */
    get: {
      parameters: {
        query?: {
          q?: string;
          /** @description A number group, or `none` for numbers in no group */
          groupId?: string | 'none';
          ivrFlowId?: string;
          agentMobile?: 'true' | 'false';
          sort?: 'number' | 'label' | 'createdAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Number'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Register a number (LINE-01: your own landline, 400 or 95 number, its SIP trunk set up in jambonz) with its group, flow, outbound groups and agent-mobile use */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example +86 10 8888 6666 */
            number: string;
            label?: string;
            /** Format: uuid */
            numberGroupId?: string | null;
            /** Format: uuid */
            ivrFlowId?: string | null;
            ivrFlowVersion?: number | null;
            agentMobile?: boolean;
            /** @description Replaces the outbound skill groups showing the number (ADM-04) */
            outboundSkillGroupIds?: string[];
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Number'];
          };
        };
        /** @description Error codes: validation_failed, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (flow or version) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (number registered already) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/numbers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One number with its group, IVR binding, outbound groups and agent-mobile use */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Number'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Remove a number: new calls to it are refused, calls in progress go on; refused while it is the last agent-mobile number and agents answer on mobiles */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: number_in_use */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a number: label, group (ADM-02), IVR flow and pinned version (ADM-03, IVR-35), outbound skill groups (ADM-04), agent-mobile use (ADM-05) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            label?: string;
            /** Format: uuid */
            numberGroupId?: string | null;
            /** Format: uuid */
            ivrFlowId?: string | null;
            ivrFlowVersion?: number | null;
            agentMobile?: boolean;
            /** @description Replaces the outbound skill groups showing the number (ADM-04) */
            outboundSkillGroupIds?: string[];
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Number'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json, flow_invalid */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: number_in_use (the last agent-mobile number while agents answer on mobiles) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/number-groups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Number groups with how many numbers each holds (ADM-02) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['NumberGroup'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a number group with a name and description (ADM-02) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            description?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NumberGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (name taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/number-groups/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete a number group; its numbers stay, in no group (ADM-02) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Rename a number group or change its description (ADM-02) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            description?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NumberGroup'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (name taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/number-applications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Number applications, newest first, with their status (LINE-02) */
    get: {
      parameters: {
        query?: {
          status?: 'requested' | 'processing' | 'fulfilled' | 'rejected';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['NumberApplication'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Apply for numbers by type, area and quantity, with a purpose (LINE-02); the request starts `requested` */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            type: '95' | '400' | 'landline' | 'mobile';
            /** @example 北京 */
            area: string;
            quantity: number;
            purpose: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NumberApplication'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/number-applications/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Move an application: requested → processing → fulfilled or rejected, with a note (the numbers given, the reason) (LINE-02) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'processing' | 'fulfilled' | 'rejected';
            note?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NumberApplication'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_state_transition */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/platform/tenants/{tenantId}/number-applications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tenant’s number applications, for the platform operator who fulfils them (LINE-02) */
    get: {
      parameters: {
        query?: {
          status?: 'requested' | 'processing' | 'fulfilled' | 'rejected';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path: {
          tenantId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['NumberApplication'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{tenantId}/number-applications/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** The platform operator moves a tenant’s number application along (LINE-02) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          tenantId: string;
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'processing' | 'fulfilled' | 'rejected';
            note?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NumberApplication'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found, platform_api_disabled */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: invalid_state_transition */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/audio-files': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the tenant's audio library, a page at a time, filtered by name (ADM-01) */
    get: {
      parameters: {
        query?: {
          /** @description Part of the name (case ignored) */
          q?: string;
          sort?: 'name' | 'createdAt';
          order?: 'asc' | 'desc';
          page?: number;
          pageSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['AudioFile'][];
              total: number;
              page: number;
              pageSize: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Upload an audio file (WAV or MP3) as the raw request body (ADM-01) */
    post: {
      parameters: {
        query: {
          /** @description Name in the library, unique in the tenant */
          name: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The file itself, e.g. `curl --data-binary @welcome.wav -H "Content-Type: audio/wav" '…/api/v1/audio-files?name=Welcome'`. The type is sniffed from the bytes (RIFF/WAVE, ID3 or an MP3 frame); the Content-Type header is ignored. Limits: `audio.maxBytes` (default 10 MiB) and `audio.maxDurationSeconds` (default 600). */
      requestBody: {
        content: {
          'audio/wav': string;
          'audio/mpeg': string;
          'application/octet-stream': string;
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AudioFile'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (name taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: audio_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: audio_unsupported_type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: audio_invalid, audio_too_long */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audio-files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read one audio file’s details (ADM-01) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AudioFile'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete an audio file, unless a published or running IVR flow version plays it (ADM-01) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: audio_in_use (details.flows names them) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Rename an audio file (ADM-01) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AudioFile'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (name taken) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/media/audio/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Fetch an audio file by its signed URL (what jambonz `play`s; supports Range requests) */
    get: {
      parameters: {
        query?: {
          sig?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'audio/x-wav': string;
            'audio/mpeg': string;
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: media_signature_invalid */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: range_not_satisfiable */
        416: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tts/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Render a prompt text to speech (audio/wav) to hear it while editing a flow (IVR-02) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            text: string;
            /** @description Engine voice, e.g. `en-us`, `cmn`, `en-us+f3` */
            voice?: string;
            /** @description BCP-47 language, e.g. `en-US`, `zh-CN` */
            language?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'audio/wav': string;
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: tts_failed */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: tts_unavailable (the engine is not installed) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/device': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your softphone credentials (provisioned on first use): SIP user, password, realm, WSS server */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SoftphoneCredentials'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}/device': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Provision or rotate a user’s softphone credentials at the telephony provider (the old password stops working) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              sipUser: string;
              realm: string | null;
              wsServer: string | null;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/answering': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where your offers ring (IN-02) and whether your softphone answers them by itself (IN-03) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Answering'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Choose where your offers ring (IN-02) and auto-answer (IN-03) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            answerMode?: 'webrtc' | 'mobileAlways' | 'mobileWhenOffline';
            autoAnswer?: boolean;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Answering'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{userId}/answering': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set where an agent’s offers ring (IN-02) and auto-answer (IN-03) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            answerMode?: 'webrtc' | 'mobileAlways' | 'mobileWhenOffline';
            autoAnswer?: boolean;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Answering'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mobile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Change your bound mobile (AGT-03): used for mobile answering and SMS sign-in; null removes it */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            mobile: string | null;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              mobile: string | null;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agent-mobile-numbers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Numbers that dial agents’ mobiles (ADM-05), used round robin as the caller id */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['AgentMobileNumber'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agent-mobile-numbers/{numberId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Designate one of your numbers to dial agents’ mobiles (ADM-05) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          numberId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AgentMobileNumber'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Stop using a number to dial agents’ mobiles (ADM-05) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          numberId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/routing/preferred-agents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Offer a caller (by number, before or during the transfer) or a live call (by session) to an agent first (IVR-21); the call waits preferredAgentWaitSeconds for that agent if they are busy */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            callerNumber?: string;
            /** Format: uuid */
            sessionId?: string;
            /** Format: uuid */
            agentId?: string;
            staffNo?: string;
            expiresInSeconds?: number;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PreferredAgentMark'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/internal-calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Call a colleague (AGT-04): your device rings (and answers by itself), then theirs — their softphone while their workbench is online, else their bound mobile */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            toAgentId?: string;
            toStaffNo?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['InternalCall'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: agent_busy, agent_unreachable, invalid_state_transition */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/voicemails': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Voicemails left by callers, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          before?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Voicemail'][];
              nextBefore: string | null;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ivr-http-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The secret HTTP nodes sign their requests with */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IvrHttpSecret'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A call with its data: customer (masked per number protection), IVR keys, variables, notes, legs */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Session'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/hold': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Put the customer on hold: they hear hold music, the agent no longer hears them (CTL-01) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: already_held, session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/unhold': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Take the customer off hold (CTL-01) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_held, session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/mute': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mute the serving agent's microphone (CTL-02) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: already_muted, session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/unmute': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Unmute the serving agent's microphone (CTL-02) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_muted, session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/hangup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Hang the call up from the agent side; a call you are dialling (OUT-01) is cancelled (record: callerCancel / callerCancelWhileRing) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/redial': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Call the customer back after the call ended: a new call, the agent first (CTL-07) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description Which of your devices rings first: `auto` (default) per your answer mode; `mobile` your bound mobile whatever the mode (the mini-program, which has no softphone)
             * @enum {string}
             */
            device?: 'auto' | 'mobile';
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_still_live, no_device, agent_offline, agent_busy */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/listen': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Listen in: the supervisor’s device rings and joins the call muted (MON-03) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away, no_device, conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/listen/leave': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stop listening in (MON-03) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/dtmf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send DTMF digits to the customer */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            digits: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** The agent’s notes on the call; they travel with transfers and go into the record */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            notes: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              notes: string;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/transfer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Hand the call on, same session id, data travelling with it: to a skill group (CTL-03), an agent (CTL-04) or an external number (CTL-05) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            to:
              | {
                  /** @enum {string} */
                  type: 'skillGroup';
                  /** Format: uuid */
                  skillGroupId: string;
                }
              | {
                  /** @enum {string} */
                  type: 'agent';
                  /** Format: uuid */
                  agentId: string;
                }
              | {
                  /** @enum {string} */
                  type: 'external';
                  number: string;
                };
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              sessionId: string;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away, agent_unavailable, no_device */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/conference': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Three-way call: ring an external number or a second agent into the call (CTL-09) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            with:
              | {
                  /** @enum {string} */
                  type: 'agent';
                  /** Format: uuid */
                  agentId: string;
                }
              | {
                  /** @enum {string} */
                  type: 'external';
                  number: string;
                };
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              legId: string;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away, agent_unavailable, no_device */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/legs/{legId}/hangup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Drop a party that call control added (three-way, listen-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          legId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/blacklist': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Put the caller on the tenant blacklist, optionally hanging up; later calls are refused (CTL-08). After the call (wrap-up) the agent who served it may still do it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            hangup: boolean;
            reason?: string;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/collect': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Have the customer key in digits for a collection template; they come back to the agent (CTL-10) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            templateId: string;
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/sessions/{id}/self-service': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send the customer into an IVR flow; at its end they come back to the agent (CTL-11) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            flowId: string;
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, not_your_call, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: session_not_live, customer_away */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/self-service-flows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** IVR flows an agent may send a caller into mid-call: id and name only (CTL-11) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SelfServiceFlows'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/collect-templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Digit collection templates (CTL-10) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['CollectTemplate'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create a digit collection template (CTL-10) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            prompt: string;
            /** @default 1 */
            minDigits?: number;
            maxDigits: number;
            /**
             * @default #
             * @enum {string|null}
             */
            finishOnKey?: '#' | '*' | null;
            /** @default 10 */
            timeoutSeconds?: number;
            /**
             * @description Said after a timeout or digits of the wrong length, before the next try and after the last
             * @default null
             */
            failurePrompt?: string | null;
            /**
             * @description Tries in all; after the last failed one the agent gets session.digits with failed: true
             * @default 3
             */
            maxTries?: number;
            variable: string;
            /** @default false */
            mask?: boolean;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CollectTemplate'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/collect-templates/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace a digit collection template (CTL-10) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            prompt: string;
            /** @default 1 */
            minDigits?: number;
            maxDigits: number;
            /**
             * @default #
             * @enum {string|null}
             */
            finishOnKey?: '#' | '*' | null;
            /** @default 10 */
            timeoutSeconds?: number;
            /**
             * @description Said after a timeout or digits of the wrong length, before the next try and after the last
             * @default null
             */
            failurePrompt?: string | null;
            /**
             * @description Tries in all; after the last failed one the agent gets session.digits with failed: true
             * @default 3
             */
            maxTries?: number;
            variable: string;
            /** @default false */
            mask?: boolean;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CollectTemplate'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    /** Delete a digit collection template (CTL-10) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden, edition_required */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/colleagues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every agent of your tenant with their skill groups and presence (idle, ringing, onCall, wrapUp, notReady, rest, offline) and since when; live changes arrive on /ws as `presence` */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Colleague'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your conversations, the most recent first, with their unread counts (AGT-05) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Conversation'][];
              unreadTotal: number;
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/conversations/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The conversation with a colleague, newest first; page back with `before` (AGT-05) */
    get: {
      parameters: {
        query?: {
          /** @description `nextBefore` of the previous page: messages older than it */
          before?: number;
          limit?: number;
        };
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Message'][];
              /** @description Cursor of the next (older) page; null at the start */
              nextBefore: number | null;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no such colleague in your tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/conversations/{userId}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark what a colleague sent you read, up to `upToSeq` (the newest message you showed) (AGT-05); both sides get `im.read` */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The `seq` of the newest message shown; later ones stay unread */
            upToSeq: number;
          };
        };
      };
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description Messages marked read now */
              read: number;
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no such colleague in your tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a colleague a text message (AGT-05); delivered over /ws as `im.message` */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            to: string;
            text: string;
          };
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Message'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no such colleague in your tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (their account is disabled) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a colleague an image (PNG, JPEG, GIF or WebP, at most 5 MB) as the raw request body (AGT-05) */
    post: {
      parameters: {
        query: {
          /** @description The colleague’s user id */
          to: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description The image itself, e.g. `curl --data-binary @shot.png -H "Content-Type: image/png" '…/api/v1/messages/image?to=<userId>'`. The type is sniffed from the bytes; the Content-Type header and any file name are ignored. Anything but PNG, JPEG, GIF or WebP is refused with 415 `image_unsupported_type`; more than 5 MB with 413 `image_too_large`. */
      requestBody: {
        content: {
          'image/png': string;
          'image/jpeg': string;
          'image/gif': string;
          'image/webp': string;
          'application/octet-stream': string;
        };
      };
      responses: {
        /** @description OK */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Message'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no such colleague in your tenant) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: conflict (their account is disabled) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: image_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: image_unsupported_type */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/messages/{id}/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Fetch the image of a message you sent or received (AGT-05) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/png': string;
            'image/jpeg': string;
            'image/gif': string;
            'image/webp': string;
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no image message of yours with that id) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/calls/outbound': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Dial a customer (OUT-01/03): your device rings first (softphone, or your mobile per answer mode), then the customer, into one call. Allowed while idle, not ready or resting */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description The customer’s number; spaces, dashes, dots, slashes and brackets are ignored (“+86 (139) 0000-1003”)
             * @example 139 0000 1003
             */
            to?: string;
            /**
             * @description Instead of `to`: the customer’s ID as agents see it under number mapping (OUT-10); the server dials the number behind it
             * @example U10023
             */
            customerId?: string;
            /**
             * Format: uuid
             * @description One of the tenant’s numbers to show; default: the outbound skill group’s, else any
             */
            callerNumberId?: string;
            /**
             * Format: uuid
             * @description An outbound skill group of the agent’s to dial through; default: their outbound groups
             */
            skillGroupId?: string;
            /**
             * @description Which of your devices rings first: `auto` (default) per your answer mode; `mobile` your bound mobile whatever the mode (the mini-program, which has no softphone)
             * @enum {string}
             */
            device?: 'auto' | 'mobile';
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OutboundCall'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (also: no customer with that `customerId`) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: agent_offline, agent_busy, no_device, no_caller_id */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: telephony_busy */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/calls/click-to-dial': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Click-to-dial from a business system (OUT-02): start an outbound call for the agent named — their device rings first, then the customer. For a CRM’s server with an API key of scope `calls:dial` */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description The agent who takes the call: their email (as TCCC `SeatUserId`) or user id
             * @example agent1@demo.local
             */
            seatUserId: string;
            /**
             * @description The customer’s number; spaces, dashes, dots, slashes and brackets are ignored (“+86 (139) 0000-1003”)
             * @example 139 0000 1003
             */
            to?: string;
            /**
             * @description Instead of `to`: the customer’s ID as agents see it under number mapping (OUT-10); the server dials the number behind it
             * @example U10023
             */
            customerId?: string;
            /**
             * Format: uuid
             * @description One of the tenant’s numbers to show; default: the outbound skill group’s, else any
             */
            callerNumberId?: string;
            /**
             * Format: uuid
             * @description An outbound skill group of the agent’s to dial through; default: their outbound groups
             */
            skillGroupId?: string;
            /**
             * @description Which of your devices rings first: `auto` (default) per your answer mode; `mobile` your bound mobile whatever the mode (the mini-program, which has no softphone)
             * @enum {string}
             */
            device?: 'auto' | 'mobile';
          };
        };
      };
      responses: {
        /** @description OK */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OutboundCall'];
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: account_disabled */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: not_found (no agent with that email or id; no customer with that `customerId`) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: agent_offline, agent_busy, no_device, no_caller_id */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: telephony_busy */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/calls/outbound/caller-ids': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The numbers you may show when dialling out (OUT-07): every number of the tenant, those of your outbound skill groups first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OutboundCallerIds'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/monitor/agents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Agent monitor (MON-01): staff no., name, role, skill groups, state and since when, seconds online / idle / notReady / rest / busy / wrap-up today, current call, calls answered today. Live: `monitor.agent` on /ws */
    get: {
      parameters: {
        query?: {
          /** @description Members of this skill group only */
          skillGroupId?: string;
          state?: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['MonitorAgent'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/monitor/skill-groups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Skill group monitor (MON-02): member agents by state, queue length, longest wait, calls today and answered. Live: `monitor.skillGroup` on /ws */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['MonitorSkillGroup'][];
            };
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/monitor/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Calls in progress (MON-03 list, API-04): state, direction, numbers (whole: staff only), room, company number used, skill group, agent (with email), times, hold, supervisors listening. API keys with records:read. Live: `session.state` and `session.listen` on /ws */
    get: {
      parameters: {
        query?: {
          skillGroupId?: string;
          state?: 'ivr' | 'queued' | 'offering' | 'bridged';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OK */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['MonitorSession'][];
            };
          };
        };
        /** @description Error codes: validation_failed, malformed_json */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: unauthenticated, invalid_token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description Error codes: forbidden */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    LoginResult: {
      accessToken: string;
      refreshToken: string;
      /** @enum {string} */
      tokenType: 'Bearer';
      /** @description Seconds until the access token expires */
      expiresIn: number;
      user: components['schemas']['User'];
    };
    User: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      tenantId: string;
      email: string;
      mobile: string | null;
      name: string;
      /** @description 工号 (staff number), unique within the tenant */
      staffNo: string;
      /** @enum {string} */
      role: 'admin' | 'supervisor' | 'agent';
      /** @enum {string} */
      status: 'active' | 'disabled';
      createdAt: string;
      updatedAt: string;
    };
    Error: {
      error: {
        /** @example validation_failed */
        code: string;
        message: string;
        details?: unknown;
      };
    };
    Tenant: {
      /** Format: uuid */
      id: string;
      slug: string;
      name: string;
      /** @enum {string} */
      edition: 'standard' | 'advanced';
      /** @enum {string} */
      status: 'active' | 'disabled';
      /** @description Settings as stored; GET /tenant/settings has every one typed, with its default */
      settings: {
        [key: string]: unknown;
      };
      createdAt: string;
      updatedAt: string;
    };
    /** @description Settings to change; keys left out keep their value, null puts a key back to its default */
    TenantSettingsPatch: {
      /** @description RT-07: hide customers’ numbers from agents everywhere (the middle four digits masked in calls, records, events) */
      numberProtection?: boolean | null;
      /**
       * @description The tenant’s IANA time zone: “today” in routing (RT-02), IVR clock variables and working hours without their own zone
       * @example Asia/Shanghai
       */
      timezone?: string | null;
      /**
       * Format: uri
       * @description Music a customer hears on hold (CTL-01), an http(s) URL of an audio file; null = the built-in music
       * @example https://example.com/hold.mp3
       */
      holdMusicUrl?: string | null;
      /** @description IVR-02: the text-to-speech voice of spoken prompts `{ vendor, language?, voice? }`; null = the provider’s default */
      tts?: {
        vendor: string;
        language?: string;
        voice?: string;
      } | null;
      /** @description Agent settings: rest reasons (小休), state after sign-in (AGT-02), wrap-up length and auto end (RT-06), last agent first (RT-04), preferred-agent wait (IVR-21), outbound memory (OUT-12/13). Also at `/settings/agent`. Fields sent replace those stored; null resets all */
      agent?: {
        /** @description Reasons an agent may pick for rest (小休); at most 30, unique */
        restReasons?: string[];
        /**
         * @description State an agent enters on signing in to take calls (AGT-02): idle or notReady (示忙)
         * @enum {string}
         */
        defaultLoginState?: 'idle' | 'notReady';
        /** @description After-call work (话后整理) in seconds, 0–3600; 0 = straight back to idle; null = server default */
        wrapUpSeconds?: number | null;
        /** @description End wrap-up by itself after wrapUpSeconds (RT-06); false = the agent ends it (CTL-06) */
        wrapUpAutoEnd?: boolean;
        /** @description Offer a caller to the agent who served their last call (RT-04) */
        lastAgentFirst?: boolean;
        /** @description IVR-21: seconds a caller waits for a busy preferred agent, 0–600 */
        preferredAgentWaitSeconds?: number;
        /** @description OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent; 0 = off */
        outboundMemoryDays?: number;
        /**
         * @description When that agent is not free: `wait` for them (the preferred-agent wait, then their group); `ivr` (advanced edition, OUT-13): the number’s IVR instead
         * @enum {string}
         */
        outboundMemoryFallback?: 'wait' | 'ivr';
      } | null;
      /** @description Let push subscriptions and IVR HTTP nodes reach private and loopback addresses (10.x, 192.168.x, 127.0.0.1 …); off, only public addresses are called (SSRF guard) */
      allowPrivateUrls?: boolean | null;
      /**
       * @description SDK: the web origins (scheme://host[:port]) of the pages that may embed the workbench and talk to it (postMessage, frame-ancestors), at most 20; none = no page may. Replaces the whole list
       * @example [
       *       "https://crm.example.com"
       *     ]
       */
      sdkOrigins?: string[] | null;
      /** @description Working-hour calendars with holidays and special days (IVR-01), at most 50. Replaces the whole list */
      calendars?: components['schemas']['WorkingHoursCalendar'][] | null;
      /** @description OUT-11 (advanced): the satisfaction survey a customer hears when the agent hangs up first on a call the agent placed; the key pressed goes into the record. null = no survey. Replaces the whole template */
      outboundSurvey?: {
        /** @description Spoken (TTS) invitation, e.g. “请对本次服务评价，满意请按1，不满意请按2” */
        prompt: string;
        /** @description Keys and what they mean; the label goes into the record (`satisfaction`) */
        options: {
          key: string;
          label: string;
        }[];
        /** @description Said after a valid key, before hanging up */
        thanksPrompt?: string;
        /** @description Said before asking again after a wrong key */
        invalidPrompt?: string;
        /** @description Said before asking again after silence */
        timeoutPrompt?: string;
        /** @default 8 */
        timeoutSeconds: number;
        /**
         * @description Asks again after a wrong key or silence
         * @default 1
         */
        maxRetries: number;
      } | null;
    };
    WorkingHoursCalendar: {
      /** @description Stable id a flow refers to, e.g. `office` */
      id: string;
      name: string;
      /**
       * @description IANA zone; default: the tenant’s `timezone`
       * @example Asia/Shanghai
       */
      timeZone?: string;
      /**
       * @description Weekly ranges: `[{ "days": ["mon", …], "ranges": [{ "start": "09:00", "end": "18:00" }] }]`
       * @default []
       */
      schedule: {
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        ranges: {
          start: string;
          end: string;
        }[];
      }[];
      /**
       * @description Closed dates, `YYYY-MM-DD` (local)
       * @default []
       */
      holidays: string[];
      /**
       * @description Dates with their own ranges instead of the weekly ones (an empty list closes the day)
       * @default []
       */
      specialDays: {
        /** Format: date */
        date: string;
        ranges: {
          start: string;
          end: string;
        }[];
      }[];
    };
    TenantSettingsAnswer: {
      settings: components['schemas']['TenantSettings'];
      /** @description Stored keys the server ignores: unknown keys (with the nearest valid key) and malformed values (the default applies). Clear one with DELETE /tenant/settings/{key} */
      problems: {
        key: string;
        /** @enum {string} */
        problem: 'unknown' | 'invalid';
        message: string;
        suggestion?: string;
      }[];
    };
    /** @description Every tenant setting with its effective value (defaults filled in) */
    TenantSettings: {
      /** @description RT-07: hide customers’ numbers from agents everywhere (the middle four digits masked in calls, records, events) */
      numberProtection: boolean;
      /**
       * @description The tenant’s IANA time zone: “today” in routing (RT-02), IVR clock variables and working hours without their own zone
       * @example Asia/Shanghai
       */
      timezone: string;
      /**
       * Format: uri
       * @description Music a customer hears on hold (CTL-01), an http(s) URL of an audio file; null = the built-in music
       * @example https://example.com/hold.mp3
       */
      holdMusicUrl: string | null;
      /** @description IVR-02: the text-to-speech voice of spoken prompts `{ vendor, language?, voice? }`; null = the provider’s default */
      tts: {
        vendor: string;
        language?: string;
        voice?: string;
      } | null;
      /** @description Agent settings: rest reasons (小休), state after sign-in (AGT-02), wrap-up length and auto end (RT-06), last agent first (RT-04), preferred-agent wait (IVR-21), outbound memory (OUT-12/13). Also at `/settings/agent` */
      agent: {
        /** @description Reasons an agent may pick for rest (小休) */
        restReasons: string[];
        /**
         * @description State an agent enters on login (AGT-02)
         * @enum {string}
         */
        defaultLoginState: 'idle' | 'notReady';
        /** @description After-call work (话后整理) length; 0 = straight back to idle. Server default unless overridden */
        wrapUpSeconds: number;
        /** @description End wrap-up automatically after wrapUpSeconds (RT-06); false = only the agent ends it (CTL-06) */
        wrapUpAutoEnd: boolean;
        /** @description Offer a caller to the agent who served their last call (RT-04) */
        lastAgentFirst: boolean;
        /** @description IVR-21: how long a caller waits for a busy preferred agent before any agent of the group may take the call (0 = no wait) */
        preferredAgentWaitSeconds: number;
        /** @description OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent (0 = off) */
        outboundMemoryDays: number;
        /**
         * @description OUT-12/13: when that agent is not free, `wait` for them (then their group) or go to the number’s `ivr` (advanced edition)
         * @enum {string}
         */
        outboundMemoryFallback: 'wait' | 'ivr';
      };
      /** @description Let push subscriptions and IVR HTTP nodes reach private and loopback addresses (10.x, 192.168.x, 127.0.0.1 …); off, only public addresses are called (SSRF guard) */
      allowPrivateUrls: boolean;
      /**
       * @description SDK: the web origins (scheme://host[:port]) of the pages that may embed the workbench and talk to it (postMessage, frame-ancestors), at most 20; none = no page may
       * @example [
       *       "https://crm.example.com"
       *     ]
       */
      sdkOrigins: string[];
      /** @description Working-hour calendars with holidays and special days (IVR-01), at most 50 */
      calendars: components['schemas']['WorkingHoursCalendar'][];
      /** @description OUT-11 (advanced): the satisfaction survey a customer hears when the agent hangs up first on a call the agent placed; the key pressed goes into the record. null = no survey */
      outboundSurvey: {
        /** @description Spoken (TTS) invitation, e.g. “请对本次服务评价，满意请按1，不满意请按2” */
        prompt: string;
        /** @description Keys and what they mean; the label goes into the record (`satisfaction`) */
        options: {
          key: string;
          label: string;
        }[];
        /** @description Said after a valid key, before hanging up */
        thanksPrompt?: string;
        /** @description Said before asking again after a wrong key */
        invalidPrompt?: string;
        /** @description Said before asking again after silence */
        timeoutPrompt?: string;
        /** @default 8 */
        timeoutSeconds: number;
        /**
         * @description Asks again after a wrong key or silence
         * @default 1
         */
        maxRetries: number;
      } | null;
    };
    ApiKey: {
      /** Format: uuid */
      id: string;
      name: string;
      prefix: string;
      scopes: string[];
      createdAt: string;
      lastUsedAt: string | null;
      expiresAt: string | null;
      revokedAt: string | null;
    };
    PushSubscription: {
      /** Format: uuid */
      id: string;
      name: string;
      url: string;
      eventTypes: ('record.created' | 'recording.ready')[];
      auth: components['schemas']['PushAuth'];
      /** @enum {string} */
      state: 'active' | 'paused';
      /**
       * @description `failing`: paused after a day of failed deliveries
       * @enum {string|null}
       */
      pausedReason: 'admin' | 'failing' | null;
      failingSince: string | null;
      lastSuccessAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    PushAuth:
      | {
          /** @enum {string} */
          type: 'none';
        }
      | {
          /** @enum {string} */
          type: 'basic';
          username: string;
        }
      | {
          /** @enum {string} */
          type: 'oauth2';
          tokenUrl: string;
          clientId: string;
          scope?: string;
        };
    /** @description How we authenticate to the receiver, besides the signature every delivery carries */
    PushAuthInput:
      | {
          /** @enum {string} */
          type: 'none';
        }
      | {
          /** @enum {string} */
          type: 'basic';
          username: string;
          /** @description Write-only; left out keeps the stored one */
          password?: string;
        }
      | {
          /** @enum {string} */
          type: 'oauth2';
          /**
           * Format: uri
           * @example https://crm.example.com/hooks/switchboard
           */
          tokenUrl: string;
          clientId: string;
          /** @description Write-only; left out keeps the stored one */
          clientSecret?: string;
          scope?: string;
        };
    PushDelivery: {
      /**
       * Format: uuid
       * @description The `X-Switchboard-Delivery` header: the same on every retry and re-send
       */
      id: string;
      /** Format: uuid */
      subscriptionId: string;
      /** @enum {string} */
      eventType: 'record.created' | 'recording.ready';
      eventKey: string;
      /** Format: uuid */
      sessionId: string | null;
      /** @enum {string} */
      state: 'pending' | 'delivered' | 'failed' | 'held';
      attempts: number;
      lastStatus: number | null;
      lastError: string | null;
      createdAt: string;
      lastAttemptAt: string | null;
      deliveredAt: string | null;
      payload: {
        [key: string]: unknown;
      };
    };
    SdkLoginToken: {
      token: string;
      /** Format: date-time */
      expiresAt: string;
      /** @description Expiry as Unix seconds (TCCC `ExpiredTime`) */
      expiredTime: number;
      /** @description The embedded workbench the SDK frames (TCCC `SdkURL`) */
      sdkUrl: string;
    };
    SdkEmbedConfig: {
      allowedOrigins: string[];
    };
    RealtimeTicket: {
      /** @example wst_3q2… */
      ticket: string;
      expiresInSeconds: number;
      /**
       * @description Path to open the WebSocket with (same host)
       * @example /ws?ticket=wst_3q2…
       */
      url: string;
    };
    NoticeAccepted: {
      /** @enum {boolean} */
      accepted: true;
      /** @example role:…:agent */
      channel: string;
    };
    NoticeRequest: {
      message: string;
      /** @enum {string} */
      level?: 'info' | 'warning' | 'error';
      audience?: components['schemas']['NoticeAudience'];
    };
    /** @description Who receives it, always within the caller’s tenant (default: everyone) */
    NoticeAudience:
      | {
          /** @enum {string} */
          kind: 'tenant';
        }
      | {
          /** @enum {string} */
          kind: 'role';
          /** @enum {string} */
          role: 'admin' | 'supervisor' | 'agent';
        }
      | {
          /** @enum {string} */
          kind: 'user';
          /** Format: uuid */
          userId: string;
        };
    Agent: {
      /** Format: uuid */
      userId: string;
      /** @enum {string} */
      state: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
      reason: string | null;
      stateSince: string;
      sipUser: string | null;
      /** Format: uuid */
      currentSessionId: string | null;
      wrapUpUntil: string | null;
      /**
       * @description The state the agent returns to after the call they placed and its wrap-up (OUT-01): the one they dialled out from
       * @enum {string|null}
       */
      resumeState: 'idle' | 'notReady' | 'rest' | null;
      callsTaken: number;
      /** @description Offers this agent missed (RT-05) */
      missedOffers: number;
    };
    AgentSettings: {
      /** @description Reasons an agent may pick for rest (小休) */
      restReasons: string[];
      /**
       * @description State an agent enters on login (AGT-02)
       * @enum {string}
       */
      defaultLoginState: 'idle' | 'notReady';
      /** @description After-call work (话后整理) length; 0 = straight back to idle. Server default unless overridden */
      wrapUpSeconds: number;
      /** @description End wrap-up automatically after wrapUpSeconds (RT-06); false = only the agent ends it (CTL-06) */
      wrapUpAutoEnd: boolean;
      /** @description Offer a caller to the agent who served their last call (RT-04) */
      lastAgentFirst: boolean;
      /** @description IVR-21: how long a caller waits for a busy preferred agent before any agent of the group may take the call (0 = no wait) */
      preferredAgentWaitSeconds: number;
      /** @description OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent (0 = off) */
      outboundMemoryDays: number;
      /**
       * @description OUT-12/13: when that agent is not free, `wait` for them (then their group) or go to the number’s `ivr` (advanced edition)
       * @enum {string}
       */
      outboundMemoryFallback: 'wait' | 'ivr';
    };
    AgentSettingsPatch: {
      /** @description Reasons an agent may pick for rest (小休); at most 30, unique */
      restReasons?: string[];
      /**
       * @description State an agent enters on signing in to take calls (AGT-02): idle or notReady (示忙)
       * @enum {string}
       */
      defaultLoginState?: 'idle' | 'notReady';
      /** @description After-call work (话后整理) in seconds, 0–3600; 0 = straight back to idle; null = server default */
      wrapUpSeconds?: number | null;
      /** @description End wrap-up by itself after wrapUpSeconds (RT-06); false = the agent ends it (CTL-06) */
      wrapUpAutoEnd?: boolean;
      /** @description Offer a caller to the agent who served their last call (RT-04) */
      lastAgentFirst?: boolean;
      /** @description IVR-21: seconds a caller waits for a busy preferred agent, 0–600 */
      preferredAgentWaitSeconds?: number;
      /** @description OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent; 0 = off */
      outboundMemoryDays?: number;
      /**
       * @description When that agent is not free: `wait` for them (the preferred-agent wait, then their group); `ivr` (advanced edition, OUT-13): the number’s IVR instead
       * @enum {string}
       */
      outboundMemoryFallback?: 'wait' | 'ivr';
    };
    AgentListItem: {
      /** Format: uuid */
      userId: string;
      name: string;
      /** @description 工号 (staff number) */
      staffNo: string;
      email: string;
      mobile: string | null;
      /** @enum {string} */
      role: 'admin' | 'supervisor' | 'agent';
      /** @enum {string} */
      status: 'active' | 'disabled';
      skillGroups: {
        /** Format: uuid */
        id: string;
        name: string;
        priority: number;
      }[];
      /** @enum {string} */
      state: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
      reason: string | null;
      stateSince: string;
      sipUser: string | null;
      /** Format: uuid */
      currentSessionId: string | null;
      wrapUpUntil: string | null;
      callsTaken: number;
      /** @description Offers this agent missed (RT-05) */
      missedOffers: number;
      createdAt: string;
    };
    CreatedAgent: {
      /** Format: uuid */
      userId: string;
      name: string;
      email: string;
      staffNo: string;
      /** @description Whether the random password left by mail (false: no mail transport; reset it once SMTP_URL is set) */
      passwordSent: boolean;
    };
    CreatedTenant: {
      tenant: components['schemas']['PlatformTenant'];
      admin: components['schemas']['User'];
      passwordSent: boolean;
      initialPassword?: string;
    };
    PlatformTenant: {
      /** Format: uuid */
      id: string;
      slug: string;
      name: string;
      /** @enum {string} */
      edition: 'standard' | 'advanced';
      /** @enum {string} */
      status: 'active' | 'disabled';
      timeZone: string;
      userCount?: number;
      createdAt: string;
      updatedAt: string;
      disabledAt: string | null;
    };
    NewTenant: {
      name: string;
      /** @example acme */
      slug: string;
      /**
       * @description ED-01: standard or advanced
       * @default standard
       * @enum {string}
       */
      edition: 'standard' | 'advanced';
      /**
       * @description IANA time zone, stored as the tenant’s `timezone` setting
       * @default UTC
       * @example Asia/Shanghai
       */
      timeZone: string;
      /** @description The first admin; a random password is mailed to them */
      admin: {
        /** Format: email */
        email: string;
        name: string;
        staffNo?: string;
        mobile?: string;
      };
    };
    DevMail: {
      /** Format: uuid */
      id: string;
      to: string;
      subject: string;
      text: string;
      createdAt: string;
    };
    TenantPlugin: {
      name: string;
      version: string;
      /**
       * @description Boot status on this server: failed (see reason) or disabled by the operator means it serves nobody
       * @enum {string}
       */
      status: 'ok' | 'failed' | 'disabled';
      reason?: string;
      hooks: string[];
      /** @description Whether the plugin serves your tenant now */
      enabled: boolean;
      /** @enum {string} */
      offReason?: 'not_enabled' | 'edition' | 'settings_invalid';
      /**
       * @description advanced: for advanced-edition tenants only
       * @enum {string}
       */
      edition: 'standard' | 'advanced';
      /** @description JSON Schema of the per-tenant settings; fields with `secret: true` are write-only */
      settingsSchema: {
        [key: string]: unknown;
      } | null;
      /** @description Saved settings, secret ones left out */
      settings: {
        [key: string]: unknown;
      };
      /** @description Secret settings that have a value */
      secretsSet: string[];
      /** @description The plugin’s typed UI contributions (cards, actions) */
      ui: {
        [key: string]: unknown;
      } | null;
      updatedAt: string | null;
    };
    PluginUi: {
      cards: {
        plugin: string;
        /** @description The call annotation that holds the card (`kind: card`) */
        annotation: string;
        title: string;
      }[];
      actions: {
        plugin: string;
        id: string;
        label: {
          'zh-CN': string;
          en: string;
        };
        /** @enum {string} */
        placement: 'call';
        route: string;
        /** @description Where the form is posted: `{ sessionId, values }`, as the signed-in user */
        url: string;
        fields: components['schemas']['PluginUiField'][];
        roles: ('agent' | 'supervisor' | 'admin')[];
      }[];
    };
    PluginUiField: {
      /** @enum {string} */
      kind: 'text' | 'textarea' | 'select';
      name: string;
      label: {
        'zh-CN': string;
        en: string;
      };
      required: boolean;
      maxLength?: number;
      /** @description select: the choices, or a GET address answering `{ items: [{ value, label }] }` */
      options?:
        | {
            value: string;
            label: string;
          }[]
        | {
            route: string;
          };
    };
    SkillGroup: {
      /** Format: uuid */
      id: string;
      name: string;
      /**
       * @description inbound: takes queued callers; outbound: agents dial out through it, showing its numbers (OUT-07)
       * @enum {string}
       */
      type: 'inbound' | 'outbound';
      /** @description Numbers linked to the group: what its agents show when dialling out (OUT-07) */
      numberIds: string[];
      /**
       * @description longest-idle (RT-01), fewest-calls today (RT-02) or member priority (RT-03); the last agent of a caller goes first in each (RT-04)
       * @enum {string}
       */
      strategy: 'longest-idle' | 'fewest-calls' | 'priority';
      /** @description Ring time before the call goes to another agent, while ringTimeoutTransfer is on (RT-05) */
      ringTimeoutSeconds: number;
      /** @description RT-05 on/off: on, an unanswered offer goes to another agent after ringTimeoutSeconds; off, the agent keeps ringing up to maxRingSeconds */
      ringTimeoutTransfer: boolean;
      /** @description Maximum ring time of one offer, used while ringTimeoutTransfer is off */
      maxRingSeconds: number;
      /**
       * Format: uuid
       * @description IVR-20: while every member is busy, idle agents of this group take the callers too; used when the IVR transfer names no overflow group of its own
       */
      overflowSkillGroupId: string | null;
      /** @description RT-06: wrap-up seconds after a call served through this group; null = the tenant's wrap-up */
      wrapUpSeconds: number | null;
      /** @description Wrap-up ends by itself after wrapUpSeconds (RT-06) or only when the agent ends it (CTL-06); null = the tenant's */
      wrapUpAutoEnd: boolean | null;
      /** @description Members, best priority first */
      members: {
        /** Format: uuid */
        userId: string;
        /** @description Member priority 1 (offered first) … 5 (last), ADM-07 */
        priority: number;
        /** @description The member’s name */
        name: string;
        /** @description 工号 (staff number) */
        staffNo: string;
      }[];
      memberCount: number;
      /** @description Members signed in (any state but offline) */
      onlineCount: number;
      /** @description Members idle now, who would be offered the next call */
      idleCount: number;
      createdAt: string;
    };
    Cdr: {
      /** Format: uuid */
      sessionId: string;
      /** @enum {string} */
      direction: 'inbound' | 'outbound' | 'internal';
      /** @description The customer's number is masked for agents under number protection */
      caller: string;
      callee: string;
      endStatus: number;
      /** @example ok */
      endStatusString: string;
      /** @description Talk time */
      durationSeconds: number;
      /** @description When the call began; the paging cursor (`before`, `after`) */
      startedAt: string;
      acceptedAt: string | null;
      endedAt: string;
      /** @enum {string} */
      hungUpSide: 'user' | 'seat' | 'system';
      servingSkillGroupName: string | null;
      /** Format: uuid */
      agentId: string | null;
      /** @description The agents' notes on the call */
      note: string | null;
      /**
       * Format: uuid
       * @description Play it at `/api/v1/recordings/{id}` (agents: calls they took part in)
       */
      recordingId: string | null;
    } & {
      [key: string]: unknown;
    };
    CdrDetail: {
      /** Format: uuid */
      sessionId: string;
      caller: string;
      callee: string;
      endStatus: number;
      recordings: {
        /** Format: uuid */
        id: string;
        /** @enum {string} */
        status: 'recording' | 'ready' | 'failed';
        /** Format: uuid */
        agentId: string | null;
        startedAt: string;
        endedAt: string | null;
        durationMs: number | null;
      }[];
    } & {
      [key: string]: unknown;
    };
    BlacklistEntry: {
      /** Format: uuid */
      id: string;
      /** @description Digits only, as calls are matched */
      number: string;
      reason: string | null;
      /** @description When calls are let through again; null = never */
      expiresAt: string | null;
      /** @description Whether calls from the number are refused now (not yet expired) */
      active: boolean;
      createdAt: string;
    };
    Recording: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      sessionId: string;
      /** @enum {string} */
      status: 'recording' | 'ready' | 'failed';
      contentType: string;
      sampleRate: number;
      channels: number;
      durationMs: number | null;
      sizeBytes: number | null;
      error: string | null;
      startedAt: string;
      endedAt: string | null;
      /** @example /api/v1/recordings/4f7c… */
      url: string;
      objectKey: string | null;
      archivedUrl: string | null;
    };
    RecordingPlayback: {
      /** @example /api/v1/recordings/4f7c…/media?t=…&exp=…&sig=… */
      url: string;
      expiresAt: string;
    };
    IvrFlowSummary: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description The version new calls use */
      publishedVersion: number | null;
      createdAt: string;
      updatedAt: string;
    };
    IvrFlow: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description The version new calls use */
      publishedVersion: number | null;
      createdAt: string;
      updatedAt: string;
      /** @description The published graph (IvrGraph) */
      graph?: unknown;
      numbers: {
        /** Format: uuid */
        id: string;
        number: string;
        label: string;
      }[];
    };
    /** @description An IVR flow graph: `start`, typed `nodes`, optional `timeZone` and custom `variables` */
    IvrGraph: {
      start: string;
      timeZone?: string;
      variables?: {
        name: string;
        /** @default  */
        default: string;
      }[];
      nodes: (
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'play';
            prompt:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            next: string;
            repeat?: number;
            bargeIn?: boolean;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'menu';
            prompt:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            options: {
              key: string;
              /** @default  */
              label: string;
              next: string;
            }[];
            /** @default 8 */
            timeoutSeconds: number;
            /** @default 2 */
            maxRetries: number;
            invalidPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            timeoutPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            onFail: string;
            bargeIn?: boolean;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'transfer';
            target: {
              /** @enum {string} */
              type: 'skillGroup';
              /** Format: uuid */
              skillGroupId: string;
            };
            noAgentNext?: string;
            /** @default 100 */
            priority: number;
            transferPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            waitPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            holdMusic?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            queueTimeoutSeconds?: number;
            queueTimeoutPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            queueTimeoutKeySeconds?: number;
            noAgentPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            connectPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            /** Format: uuid */
            overflowSkillGroupId?: string;
            preferredAgentVariable?: string;
            afterAgentNext?: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'hangup';
            prompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'workingHours';
            timeZone?: string;
            /** @default [] */
            schedule: {
              days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
              ranges: {
                start: string;
                end: string;
              }[];
            }[];
            /** @default [] */
            holidays: string[];
            /** @default [] */
            specialDays: {
              /** Format: date */
              date: string;
              ranges: {
                start: string;
                end: string;
              }[];
            }[];
            inHours: string;
            outOfHours: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'dynamicBranch';
            variable: string;
            branches: {
              value: string;
              next: string;
            }[];
            defaultNext: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'condition';
            branches: {
              /** @default  */
              label: string;
              rules: {
                variable: string;
                /** @enum {string} */
                operator:
                  | 'eq'
                  | 'ne'
                  | 'gt'
                  | 'ge'
                  | 'lt'
                  | 'le'
                  | 'contains'
                  | 'notContains'
                  | 'startsWith'
                  | 'endsWith'
                  | 'in'
                  | 'empty'
                  | 'notEmpty';
                /** @default  */
                value: string;
              }[];
              next: string;
            }[];
            elseNext: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'collect';
            prompt:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            /** @enum {string} */
            mode: 'fixed' | 'terminated';
            digits: number;
            /** @default 8 */
            timeoutSeconds: number;
            timeoutPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            failPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            /** @default 2 */
            maxRetries: number;
            variable: string;
            next: string;
            onFail?: string;
            bargeIn?: boolean;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'survey';
            prompt:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            options: {
              key: string;
              label: string;
            }[];
            /** @default 8 */
            timeoutSeconds: number;
            /** @default 1 */
            maxRetries: number;
            invalidPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            timeoutPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            thanksPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            variable?: string;
            labelVariable?: string;
            next?: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'externalTransfer';
            number: string;
            callerId?: string;
            ringingPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            /** @default 30 */
            timeoutSeconds: number;
            failPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            failNext?: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'http';
            /** Format: uri */
            url: string;
            /**
             * @default POST
             * @enum {string}
             */
            method: 'POST' | 'GET';
            /** @default [] */
            inputs: {
              name: string;
              value: string;
            }[];
            /** @default [] */
            outputs: {
              variable: string;
              field?: string;
              /** @default  */
              default: string;
            }[];
            /** @default 5 */
            timeoutSeconds: number;
            /** @default 1 */
            maxRetries: number;
            next: string;
          }
        | {
            id: string;
            /** @default  */
            label: string;
            /** @enum {string} */
            type: 'voicemail';
            prompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            /** @default 120 */
            maxLengthSeconds: number;
            /** @default # */
            finishOnKey: string;
            /** @default true */
            beep: boolean;
            thanksPrompt?:
              | {
                  /** @enum {string} */
                  kind: 'say';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'play';
                  /** Format: uri */
                  url: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'audio';
                  audioId: string;
                };
            variable?: string;
            next?: string;
          }
      )[];
      layout?: {
        [key: string]: {
          x: number;
          y: number;
        };
      };
    };
    IvrProblem: {
      nodeId: string | null;
      kind: string;
      problem: string;
      /** @description The node's field at fault, when there is one */
      field?: string;
    };
    IvrFlowVersionSummary: {
      version: number;
      label: string | null;
      baseVersion: number | null;
      published: boolean;
      publishedAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    IvrFlowVersion: {
      version: number;
      label: string | null;
      baseVersion: number | null;
      published: boolean;
      publishedAt: string | null;
      createdAt: string;
      updatedAt: string;
      /** @description The graph (IvrGraph) */
      graph?: unknown;
    };
    Number: {
      /** Format: uuid */
      id: string;
      /** @description Digits as the carrier delivers them (E.164 without +, 400, 95) */
      number: string;
      label: string;
      /**
       * @description Read from the digits: 400 or 95 service number, else E.164
       * @enum {string}
       */
      kind: '95' | '400' | 'e164';
      /**
       * Format: uuid
       * @description Its number group (ADM-02); null = none
       */
      numberGroupId: string | null;
      /**
       * Format: uuid
       * @description The IVR flow answering the number (ADM-03)
       */
      ivrFlowId: string | null;
      /** @description Pinned version of that flow (advanced, IVR-35); null = its published version */
      ivrFlowVersion: number | null;
      /** @description Used as the caller id when ringing agents’ mobiles (ADM-05) */
      agentMobile: boolean;
      group: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
      /** @description The bound flow with the version new calls get when the number is not pinned */
      ivrFlow: {
        /** Format: uuid */
        id: string;
        name: string;
        publishedVersion: number | null;
      } | null;
      /** @description Outbound skill groups whose agents show this number when dialling out (ADM-04) */
      outboundSkillGroups: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
      createdAt: string;
    };
    NumberGroup: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      numberCount: number;
      createdAt: string;
    };
    NumberApplication: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      type: '95' | '400' | 'landline' | 'mobile';
      area: string;
      quantity: number;
      purpose: string;
      /**
       * @description requested → processing → fulfilled | rejected (requested may also end at once)
       * @enum {string}
       */
      status: 'requested' | 'processing' | 'fulfilled' | 'rejected';
      /** @description What the last status change said (numbers given, reason) */
      note: string;
      requestedBy: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
      createdAt: string;
      updatedAt: string;
    };
    AudioFile: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      format: 'wav' | 'mp3';
      /** @example audio/wav */
      contentType: string;
      sizeBytes: number;
      durationMs: number;
      sha256: string;
      /**
       * @description Signed URL the file plays from (no auth needed); what IVR `audio` prompts play
       * @example https://cc.example.com/api/v1/media/audio/4f7c…?sig=…
       */
      url: string;
      createdAt: string;
      updatedAt: string;
    };
    SoftphoneCredentials: {
      /** @description SIP user name to register with (user part of the AOR) */
      sipUser: string;
      /** @description SIP digest password */
      password: string;
      /** @description SIP realm (domain of the AOR) */
      realm: string | null;
      /** @description WSS URL of the SBC to register to */
      wsServer: string | null;
      /**
       * @description sip = register over WSS; simulator = no real registrar (built-in jambonz simulator): use the simulated phone routes under /simulator/devices/me; none = no telephony provider
       * @enum {string}
       */
      mode: 'sip' | 'simulator' | 'none';
    };
    Answering: {
      /**
       * @description IN-02: webrtc = browser softphone; mobileAlways = your bound mobile; mobileWhenOffline = the mobile while your softphone is not registered
       * @enum {string}
       */
      answerMode: 'webrtc' | 'mobileAlways' | 'mobileWhenOffline';
      /** @description IN-03: the softphone answers offers by itself */
      autoAnswer: boolean;
    };
    AgentMobileNumber: {
      /** Format: uuid */
      id: string;
      number: string;
      label: string;
    };
    PreferredAgentMark: {
      /** Format: uuid */
      agentId: string;
      staffNo: string;
      callerNumber: string | null;
      /** Format: uuid */
      sessionId: string | null;
      /** @description End of a caller-number mark; null for a session mark */
      expiresAt: string | null;
    };
    InternalCall: {
      /** Format: uuid */
      sessionId: string;
      callee: {
        /** Format: uuid */
        agentId: string;
        staffNo: string;
      };
      /** @enum {string} */
      calleeDevice: 'webrtc' | 'mobile';
    };
    Voicemail: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      sessionId: string;
      caller: string;
      callee: string;
      /** @enum {string} */
      status: 'recording' | 'ready' | 'failed';
      durationMs: number | null;
      startedAt: string;
      /** @example /api/v1/recordings/4f7c… */
      url: string;
    };
    IvrHttpSecret: {
      header: string;
      /** @enum {string} */
      algorithm: 'HMAC-SHA256';
      secret: string;
    };
    Session: {
      /** Format: uuid */
      id: string;
      state: string;
      /** @enum {string} */
      direction: 'inbound' | 'outbound' | 'internal';
      /** @description Inbound: the customer, masked for agents when the tenant protects numbers (RT-07); outbound: the company number shown (OUT-07) */
      caller: string;
      /** @description Inbound: the company number dialled (IN-05), never masked; outbound: the customer, masked for agents when the tenant protects numbers (OUT-09) */
      callee: string;
      callerLocation: components['schemas']['CallerLocation'];
      companyNumber: components['schemas']['CompanyNumber'];
      /** @description What `call.incoming` / `call.outbound` plugins added (a CRM card…), the customer’s number masked for agents */
      annotations: {
        [key: string]: unknown;
      };
      held: boolean;
      agentMuted: boolean;
      ivrKeys: ({
        key: string;
        label: string;
      } & {
        [key: string]: unknown;
      })[];
      variables: {
        [key: string]: string;
      };
      notes: string | null;
      legs: ({
        /** @enum {string} */
        kind: 'agent' | 'external' | 'supervisor' | 'customer';
        purpose: string;
        /** Format: uuid */
        agentId: string | null;
        startedAt: string;
        answeredAt: string | null;
        endedAt: string | null;
        transferFrom: {
          /** Format: uuid */
          agentId: string | null;
        } | null;
        transferTo:
          | ({
              type: string;
            } & {
              [key: string]: unknown;
            })
          | null;
      } & {
        [key: string]: unknown;
      })[];
    } & {
      [key: string]: unknown;
    };
    /** @description Where the customer's number is from (IN-06), looked up offline from the real number; null for numbers that are not Chinese mobile or fixed lines */
    CallerLocation: {
      /** @example 广东省 */
      province: string | null;
      /** @example 广州市 */
      city: string | null;
      /**
       * @description The carrier given the number range (号段运营商); numbers may be ported since
       * @example 中国移动
       */
      carrier: string | null;
      en: {
        /** @example Guangdong */
        province: string | null;
        /** @example Guangzhou */
        city: string | null;
        /** @example China Mobile */
        carrier: string | null;
      };
      /** @enum {string} */
      lineType: 'mobile' | 'fixedLine';
    } | null;
    /** @description The company number of the call (IN-05) and its label; null on an internal call */
    CompanyNumber: {
      /** @example 4001234567 */
      number: string;
      /** @example Hotline */
      label: string;
    } | null;
    SelfServiceFlows: {
      items: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
    };
    CollectTemplate: {
      /** Format: uuid */
      id: string;
      name: string;
      prompt: string;
      minDigits: number;
      maxDigits: number;
      finishOnKey: string | null;
      timeoutSeconds: number;
      failurePrompt: string | null;
      maxTries: number;
      variable: string;
      mask: boolean;
    };
    Colleague: {
      /**
       * Format: uuid
       * @description The user id (what internal calls and transfers take as `agentId`)
       */
      id: string;
      name: string;
      staffNo: string;
      skillGroups: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
      /** @enum {string} */
      state: 'idle' | 'ringing' | 'onCall' | 'wrapUp' | 'notReady' | 'rest' | 'offline';
      /** @description The rest reason, with `rest` only */
      reason: string | null;
      /** @description When the agent entered the state */
      since: string;
    };
    Conversation: {
      peer: {
        /** Format: uuid */
        id: string;
        name: string;
        staffNo: string;
        /** @enum {string} */
        role: 'admin' | 'supervisor' | 'agent';
      };
      lastMessage: components['schemas']['Message'];
      unread: number;
    };
    Message: {
      /** Format: uuid */
      id: string;
      /** @description Order in the conversation; the paging cursor (`before`) */
      seq: number;
      /** Format: uuid */
      senderId: string;
      /** Format: uuid */
      recipientId: string;
      /** @enum {string} */
      kind: 'text' | 'image';
      text: string | null;
      /** @description Fetch `url` with your access token (sender and recipient only) */
      image: {
        /** @example /api/v1/messages/4f7c…/image */
        url: string;
        /** @enum {string} */
        contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
        sizeBytes: number;
      } | null;
      createdAt: string;
      readAt: string | null;
    };
    OutboundCall: {
      /**
       * Format: uuid
       * @description Follow it on /ws (`session.outbound`, `session.state`), control it under /sessions/:id
       */
      sessionId: string;
      /** @description The company number the customer sees (OUT-07) */
      callerId: string;
      /** @description The customer as you see them: their ID under number mapping (OUT-10), else the number, masked for agents under number protection (OUT-09) */
      callee: string;
    };
    OutboundCallerIds: {
      items: {
        /** Format: uuid */
        id: string;
        number: string;
        label: string;
        /** @description Your outbound skill groups the number is linked to */
        skillGroupIds: string[];
        /** @description Shown first when no number is chosen (OUT-07) */
        preferred: boolean;
      }[];
      /** @description Your outbound skill groups */
      skillGroups: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
    };
    MonitorAgent: {
      /** Format: uuid */
      agentId: string;
      /** @enum {string} */
      state: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
      /** @description The rest reason, with `rest` only */
      reason: string | null;
      /** @description ISO 8601 time */
      stateSince: string;
      /** @description Seconds per state since the tenant's midnight (settings.timezone) */
      today: {
        online: number;
        idle: number;
        notReady: number;
        rest: number;
        /** @description Ringing and talking */
        busy: number;
        afterCallWork: number;
      };
      /** @description Calls the agent answered today */
      callsToday: number;
      currentCall: {
        /** Format: uuid */
        sessionId: string;
        /** @enum {string} */
        direction: 'inbound' | 'outbound' | 'internal';
        customer: string;
        /** @enum {string} */
        state: 'ivr' | 'queued' | 'offering' | 'bridged' | 'ended';
      } | null;
      /** @description When the figures were computed (server clock) */
      at: string;
      name: string;
      staffNo: string;
      /** @enum {string} */
      role: 'admin' | 'supervisor' | 'agent';
      skillGroups: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
    };
    MonitorSkillGroup: {
      /** Format: uuid */
      skillGroupId: string;
      name: string;
      /** @enum {string} */
      type: 'inbound' | 'outbound';
      /** @description Member agents by state; online = all but offline */
      agents: {
        online: number;
        idle: number;
        ringing: number;
        busy: number;
        afterCallWork: number;
        notReady: number;
        rest: number;
        offline: number;
      };
      queueLength: number;
      /** @description Since when the longest-waiting caller waits */
      longestWaitSince: string | null;
      /** @description Calls that entered the group today */
      callsToday: number;
      answeredToday: number;
      /** @description ISO 8601 time */
      at: string;
    };
    MonitorSession: {
      /** Format: uuid */
      sessionId: string;
      /** @enum {string} */
      state: 'ivr' | 'queued' | 'offering' | 'bridged';
      /** @enum {string} */
      direction: 'inbound' | 'outbound' | 'internal';
      caller: string;
      callee: string;
      skillGroup: {
        /** Format: uuid */
        id: string;
        name: string;
      } | null;
      agent: {
        /** Format: uuid */
        id: string;
        name: string;
        staffNo: string;
        email: string;
      } | null;
      /** @description The conference room the parties meet in (API-04) */
      roomId: string;
      /** @description The company number the call uses: the one dialled (inbound) or shown (outbound); null for internal calls */
      accessNumber: string | null;
      /** @description ISO 8601 time */
      startedAt: string;
      /** @description ISO 8601 time */
      queuedAt: string | null;
      /** @description ISO 8601 time */
      acceptedAt: string | null;
      held: boolean;
      listeners: {
        /** Format: uuid */
        supervisorId: string;
        /** Format: uuid */
        legId: string;
        /** @enum {string} */
        state: 'ringing' | 'joined';
      }[];
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
