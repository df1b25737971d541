/**
 * How a call record reads in "my calls": the customer's side of the call, whether the number is
 * masked (then it cannot be dialled as text: the server calls back, CTL-07), and the look of its
 * direction and result — icon and text, never colour alone.
 */
import {
  CallForwardedIcon,
  CallIncomingIcon,
  CheckCircleFilledIcon,
  CloseCircleFilledIcon,
  UsergroupIcon,
} from 'tdesign-icons-vue-next';
import type { Component } from 'vue';
import type { Schemas } from '@/api/request';

export type CallRecord = Schemas['Cdr'];

/** The number of the other party: the caller of an inbound call, the callee of an outbound one. */
export function customerNumber(r: Pick<CallRecord, 'direction' | 'caller' | 'callee'>): string {
  return r.direction === 'outbound' ? r.callee : r.caller;
}

/** Numbers under protection come masked (`139****1003`): they cannot be dialled as text. */
export function isMasked(number: string): boolean {
  return number.includes('*');
}

export const DIRECTION_ICON: Record<CallRecord['direction'], Component> = {
  inbound: CallIncomingIcon,
  outbound: CallForwardedIcon,
  internal: UsergroupIcon,
};

/** A connected call (end status `ok`) or not. */
export function connectedCall(r: Pick<CallRecord, 'endStatusString'>): boolean {
  return r.endStatusString === 'ok';
}

export function resultIcon(r: Pick<CallRecord, 'endStatusString'>): Component {
  return connectedCall(r) ? CheckCircleFilledIcon : CloseCircleFilledIcon;
}
