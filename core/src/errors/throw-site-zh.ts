/**
 * Chinese (zh-CN) for the English sentences written at throw sites — `createError('not_found',
 * 'Tenant not found')`, `` createError('not_found', `No plugin "${plugin}" on this server`) `` —
 * and for the custom messages of request schemas, which reach a client in `details[].message`.
 * The registry's own sentences are in `messages-zh.ts`; these are the ones a throw site wrote.
 *
 * Why a table of sentences and not a key at every throw site: the ~300 sites stay as they are
 * (English stays the log and API language), and the table is checked against the source by
 * `throw-site-zh.test.ts`, which fails when a new sentence ships without its Chinese.
 */

/**
 * One sentence: the English as thrown, `{name}` standing for each value the throw site fills
 * in (a template literal's `${…}`), and its Chinese with the same placeholders. Only a
 * lower-case name in braces is a placeholder: `${Variable}` or `({...})` are text.
 */
type Entry = readonly [english: string, chinese: string];

/**
 * The sentences, grouped by where they are thrown. A message takes the first entry that
 * matches, exact sentences before templated ones. A placeholder matches any text, quotes
 * included, so where two templates can match one message the more specific comes first
 * (`plugin "{plugin}": {detail}` after the other `plugin "…"` sentences, the catch-all
 * `plugin "{plugin}" {reason}` last).
 */
export const THROW_SITE_ZH: readonly Entry[] = [
  // Requests, routes and the route guard (core/src/http)
  ['Invalid body', '请求体不正确'],
  ['Invalid query', '查询参数不正确'],
  ['Invalid params', '路径参数不正确'],
  ['Invalid body: {path}: {message}', '请求体不正确：{path}：{message}'],
  ['Invalid query: {path}: {message}', '查询参数不正确：{path}：{message}'],
  ['Invalid params: {path}: {message}', '路径参数不正确：{path}：{message}'],
  ['unknown field "{key}"; did you mean "{suggestion}"?', '未知字段 "{key}"，您是不是要填 "{suggestion}"？'],
  ['unknown field "{key}"; allowed: {allowed}', '未知字段 "{key}"，可用字段：{allowed}'],
  ['unknown field "{key}"', '未知字段 "{key}"'],
  ['must not contain control characters (such as NUL)', '不能包含控制字符（如 NUL）'],
  ['must not nest arrays or objects more than {depth} deep', '数组或对象的嵌套不能超过 {depth} 层'],
  ['The body may be at most {max} bytes', '请求体最大 {max} 字节'],
  ['The body could not be read', '无法读取请求体'],
  ['{method} is not allowed on {path}; use {allow}', '{path} 不支持 {method} 方法，请使用 {allow}'],
  ['No route for {method} {path}', '没有接口 {method} {path}'],
  ['This API key lacks the scope for this route', '该 API 密钥没有调用此接口的权限范围'],
  ['This feature is part of the advanced edition', '该功能属于高级版'],
  [
    'Send the platform key as "Authorization: Bearer <PLATFORM_API_KEY>"',
    '请以 "Authorization: Bearer <PLATFORM_API_KEY>" 发送平台密钥',
  ],
  [
    'Only the platform key (PLATFORM_API_KEY) may call the platform API',
    '只有平台密钥（PLATFORM_API_KEY）可以调用平台接口',
  ],
  ['Metrics need "Authorization: Bearer <METRICS_TOKEN>"', '读取监控指标需要 "Authorization: Bearer <METRICS_TOKEN>"'],

  // Configuration and the data directory (boot: printed to the operator's console)
  [
    'Invalid configuration:\n  telephony: expected a telephony adapter such as jambonz({...})',
    '配置无效：\n  telephony：需要一个通话适配器，例如 jambonz({...})',
  ],
  ['Invalid configuration:\n  telephony.webhookSecret: required', '配置无效：\n  telephony.webhookSecret：必填'],
  [
    'Invalid configuration:\n  telephony.webhookBudgetMs: an integer from 100 to 120000 (ms)',
    '配置无效：\n  telephony.webhookBudgetMs：100 到 120000 之间的整数（毫秒）',
  ],
  [
    'Invalid configuration:\n  telephony.{key}: a whole number of seconds, at least 1',
    '配置无效：\n  telephony.{key}：整数秒，至少为 1',
  ],
  [
    'Invalid configuration:\n  telephony: accountSid and apiKey are required with a real jambonz',
    '配置无效：\n  telephony：连接真实的 jambonz 时必须提供 accountSid 和 apiKey',
  ],
  ['Invalid configuration:\n  {problems}', '配置无效：\n  {problems}'],
  ['Environment variable {name} must be an integer, got "{value}"', '环境变量 {name} 必须是整数，实际为 "{value}"'],
  [
    'Environment variable {name} must be 1, 0, true or false, got "{value}"',
    '环境变量 {name} 必须是 1、0、true 或 false，实际为 "{value}"',
  ],
  [
    'The data directory {dir} is in use by another Switchboard process (pid {pid} on {host}, started {startedAt}). ' +
      'Stop that process first, or give this one its own DATA_DIR. If no such process runs, delete {path}.',
    '数据目录 {dir} 正被另一个 Switchboard 进程使用（主机 {host} 上的 pid {pid}，启动于 {startedAt}）。' +
      '请先停止该进程，或为本进程指定单独的 DATA_DIR。如果该进程并不存在，请删除 {path}。',
  ],
  [
    'The data directory {dir} is in use by another Switchboard process (pid {pid}, started {startedAt}). ' +
      'Stop that process first, or give this one its own DATA_DIR. If no such process runs, delete {path}.',
    '数据目录 {dir} 正被另一个 Switchboard 进程使用（pid {pid}，启动于 {startedAt}）。' +
      '请先停止该进程，或为本进程指定单独的 DATA_DIR。如果该进程并不存在，请删除 {path}。',
  ],
  [
    'Could not take the lock {path}; another process keeps replacing it',
    '无法获取锁文件 {path}：另一个进程在不断替换它',
  ],

  // Sign-in, tokens and API keys
  ['The session has ended (signed out or disabled)', '会话已结束（已退出登录或账号已停用）'],
  ['The user no longer exists', '该用户已不存在'],
  ['Too many attempts; try again in {seconds} s', '尝试次数过多，请 {seconds} 秒后再试'],
  ['Too many failed sign-ins; try again in {seconds} s', '登录失败次数过多，请 {seconds} 秒后再试'],
  ['Use "Authorization: Bearer <token>"', '请使用 "Authorization: Bearer <token>"'],
  ['The token has an unexpected shape', '登录凭证格式不正确'],
  ['The access token has expired', '访问凭证已过期'],
  ['The refresh token has expired', '刷新凭证已过期'],
  ['must be 6 digits', '必须是 6 位数字'],
  [
    'An API key looks like sk_<10 letters or digits>_<40+ characters>',
    'API 密钥的格式为 sk_<10 位字母或数字>_<40 位以上字符>',
  ],
  ['No API key with that id', '没有该 ID 的 API 密钥'],
  ['Malformed API key', 'API 密钥格式不正确'],
  ['Unknown API key', '未知的 API 密钥'],
  ['This API key has been revoked', '该 API 密钥已被撤销'],
  ['The tenant of this API key is disabled', '该 API 密钥所属的租户已停用'],
  ['This API key has expired', '该 API 密钥已过期'],
  ['No user with that email or id', '没有该邮箱或 ID 的用户'],
  ['Only signed-in users can open the realtime socket', '只有已登录的用户才能建立实时连接'],
  ['The ticket is unknown, used or expired', '连接票据无效、已使用或已过期'],

  // Tenants, users and settings
  ['Tenant not found', '未找到该租户'],
  ['No tenant "{tenant}"', '没有租户 "{tenant}"'],
  ['A tenant with the slug "{slug}" exists', '已有标识为 "{slug}" 的租户'],
  ['The slug is taken', '该租户标识已被占用'],
  ['The admin.mobile is taken', '管理员手机号已被占用'],
  ['The admin.email is taken', '管理员邮箱已被占用'],
  ['A user with this email already exists', '已有用户使用该邮箱'],
  ['A user with this mobile already exists', '已有用户使用该手机号'],
  ['A user with this staffNo already exists', '已有用户使用该工号'],
  ['A user with this unknown already exists', '已有用户使用相同的信息'],
  ['A user with this {field} already exists', '已有用户使用该{field}'],
  ['No user with that id', '没有该 ID 的用户'],
  ['No such user', '没有该用户'],
  ['You cannot disable yourself', '不能停用自己的账号'],
  ['You cannot delete yourself', '不能删除自己的账号'],
  ['Another user already has this mobile', '该手机号已被其他用户使用'],
  ['send name or edition', '请提供 name 或 edition'],
  ['send name or settings', '请提供 name 或 settings'],
  ['send at least one setting', '请至少提供一项设置'],
  ['send at least one field', '请至少提供一个字段'],
  [
    'must be 1–40 lower-case letters, digits or - (not at either end)',
    '必须是 1–40 个小写字母、数字或 -（- 不能在首尾）',
  ],
  [
    'must be 1–40 lower-case letters, digits or -, starting with a letter or digit',
    '必须是 1–40 个小写字母、数字或 -，以字母或数字开头',
  ],
  [
    'must be an origin: scheme://host[:port], lower case, no path or trailing slash',
    '必须是来源（origin）：scheme://host[:port]，小写，不带路径和末尾斜杠',
  ],
  ['must be an IANA time zone such as Asia/Shanghai or UTC', '必须是 IANA 时区，如 Asia/Shanghai 或 UTC'],
  ['must be 6–20 digits, optionally starting with +', '必须是 6–20 位数字，可以 + 开头'],
  ['must be at least 8 characters', '至少 8 个字符'],
  ['each key may be used once', '每个按键只能使用一次'],
  ['origins must be unique', '来源不能重复'],
  ['calendar ids must be unique', '日历 ID 不能重复'],
  ['rest reasons must be unique', '小休原因不能重复'],
  ['The outbound satisfaction survey needs the advanced edition', '外呼满意度需要高级版'],
  ['Sending a remembered caller to the IVR needs the advanced edition', '将外呼记忆的回电转入 IVR 需要高级版'],
  ['The tenant has no stored setting "{key}"', '租户没有已保存的设置 "{key}"'],
  [
    'The dev mail sink is on only in demo mode without SMTP_URL',
    '开发用邮件收件箱仅在演示模式且未设置 SMTP_URL 时可用',
  ],

  // Agents: administration, import, devices, states
  ['No agent with that id', '没有该 ID 的坐席'],
  ['No such agent', '没有该坐席'],
  ['No agent with that email or id', '没有该邮箱或 ID 的坐席'],
  ['No agent with that id or staff number', '没有该 ID 或工号的坐席'],
  ['Not set up as an agent', '尚未设置为坐席'],
  ['You are not set up as an agent', '您尚未被设置为坐席'],
  ['Unknown skill group', '未知的技能组'],
  ['no skill group {id} in your tenant', '您的租户中没有技能组 {id}'],
  ['send name or skillGroupIds', '请提供 name 或 skillGroupIds'],
  ['must be an email address', '必须是邮箱地址'],
  [
    'A user with one of these emails, mobiles or staff numbers was just created; nothing was stored',
    '刚刚有用户以其中某个邮箱、手机号或工号创建成功，本次未保存任何数据',
  ],
  [
    'No mail transport is configured (set SMTP_URL); the password was not changed',
    '未配置邮件发送（请设置 SMTP_URL），密码未修改',
  ],
  ['The password was reset but the mail could not be sent; reset it again', '密码已重置，但邮件发送失败，请重新重置'],
  ['An import file may be at most {max} bytes', '导入文件最大 {max} 字节'],
  ['The upload could not be read', '无法读取上传的文件'],
  ['{count} problem(s) in the file; nothing was imported', '文件中有 {count} 处问题，未导入任何数据'],
  ['unknown column "{column}"; did you mean "{suggestion}"?', '未知的列 "{column}"，您是不是要填 "{suggestion}"？'],
  ['unknown column "{column}"; columns are {columns}', '未知的列 "{column}"，可用的列：{columns}'],
  ['the column {column} appears twice', '列 {column} 出现了两次'],
  ['the column {column} is missing', '缺少列 {column}'],
  ['the file has no agents below its header', '文件的表头下没有坐席数据'],
  ['at most {max} agents per file; split the file', '每个文件最多 {max} 个坐席，请拆分文件'],
  ['no skill group named "{name}"', '没有名为 "{name}" 的技能组'],
  ['"{value}" is also in row {row}', '"{value}" 与第 {row} 行重复'],
  ['a user with this email exists', '已有用户使用该邮箱'],
  ['a user with this mobile exists', '已有用户使用该手机号'],
  ['a user with this staff number exists', '已有用户使用该工号'],
  ['required', '必填'],
  [
    'This is an old Excel (.xls) file: save it as .xlsx or as CSV (UTF-8) and upload again',
    '这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）后重新上传',
  ],
  [
    'Send a CSV file encoded as UTF-8 (in Excel: "CSV UTF-8"), or an XLSX workbook',
    '请上传 UTF-8 编码的 CSV 文件（在 Excel 中选 "CSV UTF-8"）或 XLSX 工作簿',
  ],
  [
    'Send a CSV (UTF-8) or an XLSX file; this looks like another binary',
    '请上传 CSV（UTF-8）或 XLSX 文件，该文件看起来是其他二进制格式',
  ],
  [
    'The file is a ZIP archive but not a readable XLSX workbook ({error})',
    '该文件是 ZIP 压缩包，但不是可读取的 XLSX 工作簿（{error}）',
  ],
  ['The file is empty', '文件为空'],
  ['The file has no header row', '文件没有表头行'],
  ['The CSV file could not be read (line {line})', '无法读取 CSV 文件（第 {line} 行）'],
  ['The CSV file could not be read', '无法读取 CSV 文件'],
  ['No number with that id', '没有该 ID 的号码'],
  ['Only a signed-in user has a device', '只有已登录的用户才有设备'],
  ['must be a phone number: 7–15 digits, optionally starting with +', '必须是电话号码：7–15 位数字，可以 + 开头'],
  ['send answerMode and/or autoAnswer', '请提供 answerMode 和/或 autoAnswer'],
  ['Only a signed-in agent has an agent state', '只有已登录的坐席才有坐席状态'],
  ['A rest state needs a reason', '小休需要选择原因'],
  ['"{restReason}" is not one of the rest reasons', '"{restReason}" 不是可选的小休原因'],
  ['You cannot change to {to} while {state}', '当前为{state}，不能切换到{to}'],

  // Internal calls, dialling out, live calls
  ['You cannot call yourself', '不能呼叫自己'],
  ['{name} is {state} and cannot take a call now', '{name} 当前{state}，暂时无法接听'],
  ['You cannot start a call while {state}', '您当前{state}，不能发起通话'],
  ['{name} cannot be reached: {reason}', '无法联系到 {name}：{reason}'],
  ['Your device cannot be rung: {reason}', '无法呼叫您的设备：{reason}'],
  ['Your device could not be rung', '无法呼叫您的设备'],
  ['Your state changed meanwhile; try again', '您的状态刚刚发生了变化，请重试'],
  ['send toAgentId or toStaffNo', '请提供 toAgentId 或 toStaffNo'],
  ['Only a signed-in agent can call a colleague', '只有已登录的坐席才能呼叫同事'],
  ['Only a signed-in agent dials out', '只有已登录的坐席才能外呼'],
  ['You are offline: go online (idle or not ready) to dial out', '您已离线：请先上线（示闲或示忙）再外呼'],
  [
    'You cannot dial out while {state}: finish the call or wrap-up first',
    '您当前{state}，不能外呼：请先结束通话或话后整理',
  ],
  ['Only the agent who served the call may redial it', '只有接待该通话的坐席才能回拨'],
  ['No outbound skill group with that id', '没有该 ID 的外呼技能组'],
  ['You are not a member of that outbound skill group', '您不是该外呼技能组的成员'],
  ['No number of yours with that id', '您没有该 ID 的号码'],
  ['No customer with that ID', '没有该 ID 的客户'],
  ['a phone number: 5 to 20 digits, optionally a leading +', '电话号码：5 到 20 位数字，可以 + 开头'],
  [
    'Give the number (`to`) or the customer’s ID (`customerId`), one of the two',
    '请提供号码（`to`）或客户 ID（`customerId`），二者选一',
  ],
  ['No such call', '没有该通话'],
  ['No live call with that session id', '没有该会话 ID 的进行中通话'],
  ['No such party on this call', '该通话中没有此通话方'],
  ['That party is gone', '该通话方已离开'],
  ['You are already listening to this call', '您已在监听该通话'],
  ['You are not listening to this call', '您没有在监听该通话'],
  ['No such collection template', '没有该收号模板'],
  ['No such IVR flow with a published version', '没有该 IVR 流程，或该流程没有已发布的版本'],
  ['No such template', '没有该模板'],
  ['A template with that name exists', '已有同名的模板'],
  ['a phone number: digits, optionally a leading +', '电话号码：数字，可以 + 开头'],
  ['minDigits must not exceed maxDigits', 'minDigits 不能大于 maxDigits'],
  ['System… names are reserved', '以 System 开头的名称为系统保留'],
  ['a variable name: letters, digits, _', '变量名：字母、数字、_'],
  ['DTMF digits 0-9 * # A-D', 'DTMF 按键：0-9 * # A-D'],
  ['send agentId or staffNo', '请提供 agentId 或 staffNo'],
  ['send callerNumber or sessionId', '请提供 callerNumber 或 sessionId'],
  ['must be 3–20 digits, optionally starting with +', '必须是 3–20 位数字，可以 + 开头'],

  // Skill groups
  ['No skill group with that id', '没有该 ID 的技能组'],
  ['No such skill group', '没有该技能组'],
  ['No such member', '没有该成员'],
  ['A skill group with this name already exists', '已有同名的技能组'],
  ['The skill group is in use: {uses}. Change those first', '该技能组正在使用中：{uses}。请先修改这些'],
  ['IVR flows transfer to it: {flows}', 'IVR 流程转接到该组：{flows}'],
  ['numbers are linked to it: {numbers}', '号码关联到该组：{numbers}'],
  ['{count} call(s) in progress are in it', '该组有 {count} 个进行中的通话'],
  ['skill groups overflow to it: {groups}', '技能组溢出到该组：{groups}'],
  ['A skill group cannot overflow to itself', '技能组不能溢出到自身'],
  ['The overflow skill group does not exist', '溢出技能组不存在'],
  ['A member is listed twice', '有成员重复列出'],
  ['Member priority must be {min}–{max}, got {priority}', '成员优先级必须在 {min}–{max} 之间，实际为 {priority}'],
  ['Only outbound skill groups have caller numbers', '只有外呼技能组才有主叫号码'],
  ['That number is not linked to that skill group', '该号码未关联到该技能组'],
  ['list each skill group once', '每个技能组只能列出一次'],
  [
    'send name, type, strategy, ringTimeoutSeconds, ringTimeoutTransfer, maxRingSeconds, overflowSkillGroupId, wrapUpSeconds, wrapUpAutoEnd or members',
    '请至少提供以下一项：name、type、strategy、ringTimeoutSeconds、ringTimeoutTransfer、maxRingSeconds、overflowSkillGroupId、wrapUpSeconds、wrapUpAutoEnd、members',
  ],

  // Numbers
  [
    'Enter an E.164 number (country code first, e.g. 861088886666), a 400 number or a 95 service number',
    '请输入 E.164 格式的号码（以国家代码开头，如 861088886666）、400 号码或 95 服务号码',
  ],
  ['{number} is already registered', '号码 {number} 已登记'],
  [
    'This is the only number that rings agents’ mobiles and agents answer on their mobiles: designate another number first',
    '这是唯一用于呼叫坐席手机的号码，且有坐席用手机接听：请先指定其他号码',
  ],
  ['Binding a number to a flow version is part of the advanced edition', '将号码绑定到流程版本属于高级版功能'],
  ['Choose a flow for the version', '请为该版本选择流程'],
  ['No number group with that id', '没有该 ID 的号码组'],
  ['A number group with that name exists', '已有同名的号码组'],
  ['No skill group with id {id}', '没有 ID 为 {id} 的技能组'],
  ['Only outbound skill groups show numbers when dialling out', '只有外呼技能组可以在外呼时显示号码'],
  ['No number application with that id', '没有该 ID 的号码申请'],
  ['A {status} application cannot become {to}', '{status}的申请不能变为{to}'],
  [
    'digits only (spaces, dashes, brackets and a leading + are ignored)',
    '只能是数字（空格、短横线、括号和开头的 + 会被忽略）',
  ],
  ['send name or description', '请提供 name 或 description'],

  // IVR flows
  ['No IVR flow with that id', '没有该 ID 的 IVR 流程'],
  ['A flow with this name already exists', '已有同名的 IVR 流程'],
  ['This flow already has a version with that label', '该流程已有使用此标签的版本'],
  ['This flow uses advanced-edition features', '该流程使用了高级版功能'],
  ['The flow has {count} problems', '流程有 {count} 处问题'],
  ['The flow has {count} problem', '流程有 {count} 处问题'],
  [
    'Numbers answer with this flow; bind them to another flow first',
    '有号码正在用该流程接听来电，请先将这些号码绑定到其他流程',
  ],
  ['Calls are in this flow right now', '当前有通话正在该流程中'],
  ['No such version to derive from', '要派生的版本不存在'],
  ['The flow has no version to derive from; send a graph', '该流程还没有可派生的版本，请提供流程图（graph）'],
  ['Version {version} has been published; derive a new version from it', '版本 {version} 已发布，请基于它派生新版本'],
  ['New calls use this version; publish another one first', '新来电正在使用该版本，请先发布其他版本'],
  ['Numbers are bound to this version; bind them elsewhere first', '有号码绑定了该版本，请先将它们改绑到其他版本'],
  ['Calls are on this version right now', '当前有通话正在使用该版本'],
  ['No such version', '没有该版本'],
  ['Flow has no version {version}', '流程没有版本 {version}'],
  ['send label or graph', '请提供 label 或 graph'],
  ['must be a variable name (letters, digits, _)', '必须是变量名（字母、数字、_）'],
  ['must be one key: 0-9, * or #', '必须是一个按键：0-9、* 或 #'],
  ['must be HH:MM', '格式必须为 HH:MM'],
  ['must be a phone number or one ${Variable}', '必须是电话号码或一个 ${Variable} 变量'],
  ['at most one position per node', '每个节点最多只能有一个位置'],

  // Audio library and text-to-speech
  ['No audio file with that id', '没有该 ID 的音频文件'],
  ['An audio file with this name already exists', '已有同名的音频文件'],
  ['The upload is empty', '上传的文件为空'],
  ['Audio files may be at most {max} bytes', '音频文件最大 {max} 字节'],
  ['The audio lasts {seconds} s; at most {max} s are accepted', '音频时长 {seconds} 秒，最长只接受 {max} 秒'],
  [
    'IVR flows play this audio file: {flows}. Change those flows first',
    '以下 IVR 流程正在播放该音频文件：{flows}。请先修改这些流程',
  ],
  ['The file is neither WAV (RIFF/WAVE) nor MP3', '该文件既不是 WAV（RIFF/WAVE）也不是 MP3'],
  ['The {format} file could not be read: {error}', '无法读取该 {format} 文件：{error}'],
  ['The file starts like {format} but is not a valid one', '该文件开头像 {format} 文件，但不是有效的 {format} 文件'],
  [
    'WAV files must be PCM, A-law or µ-law; this one is {codec}',
    'WAV 文件必须是 PCM、A-law 或 µ-law 编码，该文件是 {codec}',
  ],
  ['MP3 files must be MPEG Layer III; this one is {codec}', 'MP3 文件必须是 MPEG Layer III 编码，该文件是 {codec}'],
  ['The {format} file has no audio', '该 {format} 文件没有声音'],
  ['must be an audio file id, optionally with .wav or .mp3', '必须是音频文件 ID，可带 .wav 或 .mp3 后缀'],
  ['not a voice name', '不是有效的音色名称'],
  ['The text may be at most {max} characters', '文本最多 {max} 个字符'],
  ['The TTS engine espeak-ng was not found. {hint}', '未找到语音合成引擎 espeak-ng。{hint}'],
  [
    'Install espeak-ng on the server (Debian/Ubuntu: `apt-get install espeak-ng`; macOS: `brew install espeak-ng`) ' +
      'or set `tts.espeakNgPath` in plugins.config.ts to its location.',
    '请在服务器上安装 espeak-ng（Debian/Ubuntu：`apt-get install espeak-ng`；macOS：`brew install espeak-ng`），' +
      '或在 plugins.config.ts 中把 `tts.espeakNgPath` 设为其路径。',
  ],
  ['espeak-ng did not finish within {ms} ms', 'espeak-ng 未在 {ms} 毫秒内完成'],
  ['espeak-ng has no voice "{voice}"', 'espeak-ng 没有音色 "{voice}"'],
  ['espeak-ng failed: {error}', 'espeak-ng 运行失败：{error}'],
  ['espeak-ng produced no audio: {error}', 'espeak-ng 没有生成音频：{error}'],
  ['espeak-ng produced no audio', 'espeak-ng 没有生成音频'],

  // Internal messages
  ['Only a signed-in user has messages', '只有已登录的用户才有消息'],
  ['You cannot message yourself', '不能给自己发消息'],
  ['No colleague with that id', '没有该 ID 的同事'],
  ["{name}'s account is disabled", '{name} 的账号已停用'],
  ['The image is empty', '图片为空'],
  ['No image message with that id', '没有该 ID 的图片消息'],
  ['The image file is missing', '图片文件已丢失'],
  ['An image may be at most {max} MB', '图片最大 {max} MB'],
  [
    'Send a PNG, JPEG, GIF or WebP image; this file is not an image of a known type',
    '请发送 PNG、JPEG、GIF 或 WebP 图片，该文件不是可识别的图片类型',
  ],
  ['Send a PNG, JPEG, GIF or WebP image; this file is {type}', '请发送 PNG、JPEG、GIF 或 WebP 图片，该文件是 {type}'],

  // Recordings and call records
  ['No recording with that id', '没有该 ID 的录音'],
  ['Agents may play only the recordings of calls they took part in', '坐席只能播放自己参与过的通话录音'],
  ['The playback link has expired', '播放链接已过期'],
  [
    'The recording is still in progress; it is ready shortly after the call ends',
    '录音仍在进行中，通话结束后不久即可使用',
  ],
  ['The recording failed: {error}', '录音失败：{error}'],
  ['The recording file is missing', '录音文件已丢失'],
  ['The recording file is missing, and its archived copy could not be fetched', '录音文件已丢失，且无法取回其归档副本'],
  ['{what} has {size} bytes', '{what}共 {size} 字节'],
  ['No record for that call', '该通话没有通话记录'],
  ['`mine` needs a signed-in user, not an API key', '`mine` 需要已登录的用户，不能使用 API 密钥'],
  ['Page with `before` or with `after`, not both', '请用 `before` 或 `after` 翻页，不能同时使用'],
  ['Page with `page` or with a cursor, not both', '请用 `page` 或游标翻页，不能同时使用'],
  ['digits, optionally after a +', '数字，可以 + 开头'],
  ['No such blacklist entry', '没有该黑名单条目'],
  ['must have 3–20 digits', '必须是 3–20 位数字'],
  ['must be a phone number: digits, optionally with + - ( ) and spaces', '必须是电话号码：数字，可包含 + - ( ) 和空格'],
  ['must be in the future', '必须是将来的时间'],

  // Data push
  ['No such subscription', '没有该订阅'],
  ['No such delivery', '没有该投递记录'],
  ['The cursor is not valid', '分页游标无效'],
  ['must be an http(s) URL', '必须是 http(s) 网址'],
  [
    '{host} is a private or loopback address; a tenant admin may allow those (settings: allowPrivateUrls)',
    '{host} 是内网或回环地址；租户管理员可以在设置中允许此类地址（allowPrivateUrls）',
  ],
  ['a password is required', '必须填写密码'],
  ['a client secret is required', '必须填写客户端密钥（client secret）'],

  // Plugins: per-tenant settings, records, routes, and the host (most at boot)
  ['No plugin "{plugin}" on this server', '此服务器上没有插件 "{plugin}"'],
  ['The plugin "{plugin}" needs the advanced edition', '插件 "{plugin}" 需要高级版'],
  ['The plugin "{plugin}" has no per-tenant settings', '插件 "{plugin}" 没有租户级设置'],
  ['Invalid settings for the plugin "{plugin}"', '插件 "{plugin}" 的设置不正确'],
  ['The workbench’s contributions are for signed-in users', '工作台的插件扩展仅对已登录用户开放'],
  ['a plugin name (kebab-case)', '插件名称（kebab-case 格式）'],
  ['at most 100 settings', '最多 100 项设置'],
  ['a kebab-case kind', 'kebab-case 格式的类型名'],
  ['printable text', '可打印的文本'],
  ['Plugin routes need a signed-in user', '插件接口需要已登录的用户'],
  ['Plugin routes need a signed-in user; API keys are not accepted', '插件接口需要已登录的用户，不接受 API 密钥'],
  ['a COS bucket name: <name>-<appid>', 'COS 存储桶名称：<name>-<appid>'],
  ['a COS region such as ap-guangzhou', 'COS 地域，如 ap-guangzhou'],
  ['folder names separated by /', '用 / 分隔的文件夹名称'],
  ['an http(s) URL', 'http(s) 网址'],
  ['an http or https URL', 'http 或 https 网址'],
  ['the URL must hold {placeholder}', '网址中必须包含 {placeholder}'],
  ['a WeCom user id (letters, digits, _ . @ -)', '企业微信成员 ID（字母、数字、_ . @ -）'],
  ['a WeCom corp id', '企业微信企业 ID'],
  ['letters and digits', '字母和数字'],
  ['43 letters and digits', '43 位字母和数字'],
  ['each userId once', '每个 userId 只能出现一次'],
  ['record kind "{kind}" is not a kebab-case word', '记录类型 "{kind}" 不是 kebab-case 格式'],
  ['record id must be 1…200 printable characters', '记录 ID 必须是 1…200 个可打印字符'],
  ['record data: {error}', '记录数据：{error}'],
  ['find limit must be 1…100', '查询数量上限必须在 1…100 之间'],
  [
    'find match must map field names to strings, numbers, booleans or null',
    '查询条件必须把字段名映射到字符串、数字、布尔值或 null',
  ],
  ['no tenant "{tenant}"', '没有租户 "{tenant}"'],
  ['plugin dependency cycle: {cycle}', '插件之间存在循环依赖：{cycle}'],
  ['could not queue {plugins}', '无法将 {plugins} 加入任务队列'],
  ['plugin "{plugin}" is listed twice', '插件 "{plugin}" 重复列出'],
  [
    'plugin "{plugin}" depends on "{dependency}", which is not configured',
    '插件 "{plugin}" 依赖的 "{dependency}" 未配置',
  ],
  [
    'plugin "{plugin}" did not declare core service "{key}": add it to deps',
    '插件 "{plugin}" 未声明核心服务 "{key}"：请将其加入 deps',
  ],
  [
    'plugin "{plugin}" may not use core service "{key}" (plugins may declare: {allowed})',
    '插件 "{plugin}" 不能使用核心服务 "{key}"（插件可声明：{allowed}）',
  ],
  [
    'plugin "{plugin}" hook "{hook}" ran past its {ms} ms budget',
    '插件 "{plugin}" 的钩子 "{hook}" 超出了 {ms} 毫秒的时限',
  ],
  [
    'plugin "{plugin}" may only register keys starting with "{prefix}", not "{key}"',
    '插件 "{plugin}" 只能注册以 "{prefix}" 开头的键，不能注册 "{key}"',
  ],
  ['plugin "{plugin}" registered after boot gave up on it', '插件 "{plugin}" 在启动已放弃它之后才完成注册'],
  ['plugin "{plugin}" may not use loadModules; register keys', '插件 "{plugin}" 不能使用 loadModules，请直接注册键'],
  [
    'plugin "{plugin}" has no dependency "{key}": declare a core service in deps, or the plugin that registers it in dependsOn',
    '插件 "{plugin}" 没有依赖 "{key}"：请在 deps 中声明核心服务，或在 dependsOn 中声明注册它的插件',
  ],
  [
    'plugin "{plugin}" {step} did not finish within the {ms} ms boot timeout',
    '插件 "{plugin}" 的 {step} 未在 {ms} 毫秒的启动时限内完成',
  ],
  // After the `plugin "{plugin}" …` sentences: its lazy `{plugin}` would swallow their text.
  ['plugin "{plugin}": {detail}', '插件 "{plugin}"：{detail}'],
  [
    'registered "{key}" outside its scope (keys must start with "{prefix}")',
    '在作用域外注册了 "{key}"（键必须以 "{prefix}" 开头）',
  ],
  ['failed to boot: {error}', '启动失败：{error}'],

  // The telephony adapter and its simulator (demo mode)
  ['Unexpected jambonz payload', 'jambonz 请求内容不符合预期'],
  ['Your tenant has no number {number}', '您的租户没有号码 {number}'],
  ['At most {max} simulated calls may run at once', '最多同时进行 {max} 个模拟通话'],
  ['The simulator cannot place calls yet', '模拟器暂时还不能发起通话'],
  ['No agent of your tenant has the SIP user {user}', '您的租户中没有坐席使用 SIP 用户 {user}'],
  ['Only a signed-in user has a softphone', '只有已登录的用户才有软电话'],
  [
    'Register your simulated softphone first (POST /simulator/devices/me)',
    '请先注册模拟软电话（POST /simulator/devices/me）',
  ],
  ['No call with that id rang your softphone', '没有该 ID 的通话呼叫过您的软电话'],
  ['The call is {state}, not ringing', '该通话已不在振铃（当前：{state}）'],
  ['The call has ended', '通话已结束'],
  ['DTMF needs an answered call', '发送 DTMF 需要通话已接通'],
  ['Digits only, optionally with a leading +', '只能是数字，可以 + 开头'],
  ['DTMF digits 0-9, * and # only', '只能是 DTMF 按键 0-9、* 和 #'],
  ['A SIP user name without the realm', '不带域名（realm）的 SIP 用户名'],
  ['a call sid (UUID)', '通话 SID（UUID）'],
  ['DTMF digits 0-9, *, #, A-D; 1 to 32 of them', 'DTMF 按键 0-9、*、#、A-D，1 到 32 个'],

  // Last: it matches any sentence that starts with `plugin "…" ` (a boot failure's reason).
  ['plugin "{plugin}" {reason}', '插件 "{plugin}" {reason}'],
];

/**
 * Words a sentence is filled with that are English themselves — agent and call states,
 * application statuses, field names, device reasons — in the console's Chinese for them.
 */
const VALUES_ZH = new Map<string, string>([
  ['offline', '离线'],
  ['idle', '示闲'],
  ['notReady', '示忙'],
  ['rest', '小休'],
  ['ringing', '振铃中'],
  ['busy', '通话中'],
  ['afterCallWork', '话后整理'],
  ['active', '通话中'],
  ['ended', '已结束'],
  ['requested', '已提交'],
  ['processing', '办理中'],
  ['fulfilled', '已开通'],
  ['rejected', '已驳回'],
  ['email', '邮箱'],
  ['mobile', '手机号'],
  ['staffNo', '工号'],
  ['The recording', '录音'],
  ['The file', '文件'],
  ['agent has no device', '坐席没有可用的设备'],
  ['agent has no mobile', '坐席没有绑定手机'],
  ['no agent-mobile number', '没有用于呼叫坐席手机的号码'],
  ['unknown error', '未知错误'],
]);

/**
 * Placeholders whose value is itself ours to translate: a word of {@link VALUES_ZH}, or a
 * sentence of the table (an issue inside "Invalid body: …", a device reason, the parts of a
 * skill group's uses joined by "; "). Any other value (a name, a number, a path) is shown as
 * sent; keying this by name keeps a tenant called "rest" from turning into 小休.
 */
const TRANSLATED_PLACEHOLDERS = new Set([
  'state',
  'to',
  'status',
  'field',
  'what',
  'reason',
  'message',
  'detail',
  'hint',
  'error',
  'uses',
]);

/** `{name}`, lower-case first letter: `${Variable}` and `({...})` in a sentence are text. */
const PLACEHOLDER = /\{([a-z]\w*)\}/g;

interface Template {
  pattern: RegExp;
  names: string[];
  chinese: string;
}

// Compiled once at load. A sentence without placeholders is a Map hit; only templated ones
// are tried in order, each as an anchored pattern with a lazy capture per placeholder.
const EXACT = new Map<string, string>();
const TEMPLATES: Template[] = [];
for (const [english, chinese] of THROW_SITE_ZH) {
  const parts = english.split(PLACEHOLDER); // text, name, text, name, …, text
  if (parts.length === 1) {
    if (!EXACT.has(english)) EXACT.set(english, chinese);
    continue;
  }
  const source = parts.map((p, i) => (i % 2 === 1 ? '(.*?)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  TEMPLATES.push({
    // `s`: a value may span lines (configuration problems are listed one per line).
    pattern: new RegExp(`^${source}$`, 's'),
    names: parts.filter((_, i) => i % 2 === 1),
    chinese,
  });
}

/**
 * The Chinese (zh-CN) for an English message written at a throw site or in a request schema,
 * with the values it names put back in; null when the table has no sentence for it.
 *
 * @example
 * translateThrowSiteMessage('No plugin "crm" on this server') // → '此服务器上没有插件 "crm"'
 */
export function translateThrowSiteMessage(message: string): string | null {
  return lookup(message, true);
}

function lookup(message: string, fillIn: boolean): string | null {
  const exact = EXACT.get(message);
  if (exact !== undefined) return exact;
  for (const t of TEMPLATES) {
    const m = t.pattern.exec(message);
    if (!m) continue;
    return t.chinese.replace(PLACEHOLDER, (_, name: string) => {
      const value = m[t.names.indexOf(name) + 1] ?? '';
      // One level deep only: a value is a word or a sentence, never a sentence of sentences.
      return fillIn && TRANSLATED_PLACEHOLDERS.has(name) ? translateValue(value) : value;
    });
  }
  return null;
}

function translateValue(value: string): string {
  // "IVR flows transfer to it: …; numbers are linked to it: …": phrase by phrase when every
  // phrase is ours (a sentence may hold "; " itself: `unknown field "x"; did you mean "y"?`).
  if (value.includes('; ')) {
    const parts = value.split('; ').map((part) => VALUES_ZH.get(part) ?? lookup(part, false));
    if (parts.every((p) => p !== null)) return parts.join('；');
  }
  return VALUES_ZH.get(value) ?? lookup(value, false) ?? value;
}

/**
 * `details` with every `message` in it (`details[].message`, the agent import's
 * `details.errors[].message`; a few levels deep) in Chinese where the table has the sentence;
 * the rest is kept, and `details` itself is never changed (a copy is returned).
 * zod's own messages are already Chinese for a zh client (the route guard asks zod for them);
 * this covers the sentences we wrote: custom schema messages and hand-built details.
 */
export function translateDetailMessages(details: unknown, depth = 0): unknown {
  if (depth > 4 || details === null || typeof details !== 'object') return details;
  if (Array.isArray(details)) return details.map((d) => translateDetailMessages(d, depth + 1));
  if (Object.getPrototypeOf(details) !== Object.prototype) return details;
  return Object.fromEntries(
    Object.entries(details).map(([k, v]) => [
      k,
      k === 'message' && typeof v === 'string'
        ? (translateThrowSiteMessage(v) ?? v)
        : translateDetailMessages(v, depth + 1),
    ]),
  );
}
