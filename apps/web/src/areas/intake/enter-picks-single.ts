// Enter in a search box takes the only match, so a clerk types part of a name and presses Enter
// instead of reaching for the mouse. Once the arrow keys have moved through the list, Enter is
// the list's again (it takes the highlighted row); typing gives it back to the search.

/**
 * A keydown handler for the search box's wrapper, bound in the capture phase
 * (`@keydown.capture`) so it runs before the box's own Enter handling and can hold it back.
 */
export function enterPicksSingleMatch<T>(
  find: (text: string) => Promise<T[]>,
  pick: (match: T) => void,
  /** Told the text when nothing matches it. */
  noMatch: (text: string) => void = () => undefined,
): (event: KeyboardEvent) => void {
  let navigated = false;
  return (event) => {
    if (event.isComposing) return; // Enter that ends an IME composition is not a search
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      navigated = true;
      return;
    }
    if (event.key !== 'Enter') {
      if (event.key.length === 1 || event.key === 'Backspace' || event.key === 'Delete') {
        navigated = false;
      }
      return;
    }
    const text = event.target instanceof HTMLInputElement ? event.target.value.trim() : '';
    if (navigated || !text) return;
    event.preventDefault();
    event.stopPropagation();
    void find(text).then((matches) => {
      const [only] = matches;
      if (matches.length === 1 && only !== undefined) pick(only);
      else if (matches.length === 0) noMatch(text);
    });
  };
}
