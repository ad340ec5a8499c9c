// The cart rules: no Node, ORM or framework imports (eslint.config.mjs enforces it), so the
// offline till can run them in the browser.
export * from './cart';
export * from './evaluate-cart';
export * from './problems';
