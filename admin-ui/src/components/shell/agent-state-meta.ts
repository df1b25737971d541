/**
 * How each agent state looks: an icon and a text (never colour alone, so it reads without
 * colour vision or in greyscale), plus a TDesign theme for the tint.
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
