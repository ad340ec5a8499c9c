// The till's keys wherever the focus is: F9 or Ctrl+Enter confirms, Esc asks to clear, and a
// scan that lands on nothing (after a click elsewhere) is typed into the scan field.
import { onBeforeUnmount, onMounted } from 'vue';

export interface TillKeys {
  confirm: () => void;
  clear: () => void;
  /** a printable key typed on the page itself rather than in a field */
  stray: (key: string) => void;
}

export function useTillKeys(keys: TillKeys): void {
  function onKeydown(event: KeyboardEvent): void {
    if (event.key === 'F9' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      keys.confirm();
      return;
    }
    if (event.key === 'Escape') {
      // Esc in an open question answers the question, not the till
      if (document.querySelector('.el-message-box') === null) keys.clear();
      return;
    }
    if (event.target === document.body && event.key.length === 1 && !event.ctrlKey) {
      event.preventDefault();
      keys.stray(event.key);
    }
  }

  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
