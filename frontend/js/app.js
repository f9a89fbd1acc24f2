// Progressive enhancements shared by every page. Pages work without this file.

// Confirm destructive actions (forms marked data-confirm) before submitting.
for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (ev) => {
    if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
}
