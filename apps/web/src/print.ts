// Receipts print from the browser: the PDF is loaded into a hidden frame and its print dialog opened.
export function printPdf(blob: Blob): HTMLIFrameElement {
  document.querySelector('iframe[data-print-frame]')?.remove();
  const frame = document.createElement('iframe');
  frame.dataset.printFrame = 'true';
  frame.title = '打印';
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0';
  frame.src = URL.createObjectURL(blob);
  frame.addEventListener('load', () => {
    frame.dataset.loaded = 'true';
    // Under automation (the browser tests) nobody can answer a print dialog, and headless Chromium
    // crashes the tab when a PDF frame is asked to print; the loaded frame is what they check.
    if (navigator.webdriver) return;
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      // a browser without a PDF viewer in frames: the clerk uses the download button instead
    }
  });
  document.body.append(frame);
  return frame;
}
