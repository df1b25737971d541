/**
 * Screen state the call screens share with the keyboard shortcuts (which live in the always-on
 * call dock): whether the in-call keypad is open, and a request to bring the call into view.
 */
import { ref } from 'vue';

/** The in-call DTMF keypad is shown (Ctrl+Shift+D). */
export const keypadOpen = ref(false);

/** Bumped to ask the call panel to take focus (Ctrl+Shift+C "back to the call"). */
export const focusCallRequest = ref(0);
