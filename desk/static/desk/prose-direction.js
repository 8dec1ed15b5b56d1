// The rich-text editor's writing area follows its text (Arabic right-to-left, English left-to-right), whatever the
// page's language: dir="auto" on the editable element once django-prose-editor has made it.
document.addEventListener("prose-editor:ready", function (event) {
  var editor = event.detail && event.detail.editor;
  if (editor && editor.view && editor.view.dom) {
    editor.view.dom.setAttribute("dir", "auto");
  }
});
