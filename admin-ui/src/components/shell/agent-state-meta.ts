/**
 * How each agent state looks: an icon and a text (never colour alone, so it reads without
 * colour vision or in greyscale), plus a TDesign theme for the tint. The agent's own status and
 * colleagues' presence (transfer dialog, colleagues list) share it.
 */
import {
  CallIcon,
  CallIncomingIcon,
  CheckCircleFilledIcon,
  Edit1Icon,
  MinusCircleFilledIcon,
  PoweroffIcon,
  TeaIcon,
} from 'tdesign-icons-vue-next';
import type { Component } from 'vue';
import type { PresenceState } from '@/api/realtime-events';
import type { AgentState } from '@/stores/agent';

export interface StateLook {
  icon: Component;
  /** TDesign tag/status theme. */
  theme: 'success' | 'warning' | 'danger' | 'primary' | 'default';
}

export const STATE_LOOK: Record<AgentState, StateLook> = {
  idle: { icon: CheckCircleFilledIcon, theme: 'success' },
  notReady: { icon: MinusCircleFilledIcon, theme: 'danger' },
  rest: { icon: TeaIcon, theme: 'warning' },
  ringing: { icon: CallIncomingIcon, theme: 'primary' },
  busy: { icon: CallIcon, theme: 'primary' },
  afterCallWork: { icon: Edit1Icon, theme: 'warning' },
  offline: { icon: PoweroffIcon, theme: 'default' },
};

/**
 * A colleague's presence (AGT-04, the `presence` events) in the agent states' vocabulary: the
 * server names on-call and wrap-up differently, the look is the same.
 */
export const PRESENCE_STATE: Record<PresenceState, AgentState> = {
  idle: 'idle',
  ringing: 'ringing',
  onCall: 'busy',
  wrapUp: 'afterCallWork',
  notReady: 'notReady',
  rest: 'rest',
  offline: 'offline',
};

/** How a presence looks: the look of the agent state it stands for. */
export function presenceLook(state: PresenceState): StateLook {
  return STATE_LOOK[PRESENCE_STATE[state]];
}
