"""File → Export as PDF and Print…: the post on paper, black on white in any theme."""

from __future__ import annotations

from tests.conftest import post_text


def test_export_as_pdf_writes_the_post_styled_for_paper_in_the_dark_theme(driver, write_archive, tmp_path):
    body = "<p>多部门联合发布碳中和路线图。</p><blockquote>引用</blockquote>"
    root = write_archive(
        {"_posts/2024-01-05-carbon.html": post_text(title="碳中和路线图").replace("Body text.", body)}
    )
    window = driver.open(root)
    window.set_theme("dark")
    window.navigation.select_row(0)
    document = window.viewer.print_document()
    assert "碳中和路线图" in document.toPlainText() and "多部门联合发布" in document.toPlainText()
    sheet = document.defaultStyleSheet()
    assert "background-color: #ffffff" in sheet and "color: #000000" in sheet
    assert "#1b1d21" not in sheet.lower()  # nothing of the dark sheet
    target = tmp_path / "out" / "post.pdf"
    target.parent.mkdir()
    assert window.printing.export_pdf(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data
    assert str(target) in window.statusBar().currentMessage()


def test_the_show_images_link_is_not_printed(driver, write_archive):
    body = '<p>正文</p><img src="https://cdn.example/a.png" alt="chart">'
    root = write_archive({"_posts/2024-01-05-a.html": post_text(title="A").replace("Body text.", body)})
    window = driver.open(root)
    window.navigation.select_row(0)
    assert "remote image" in window.viewer.toPlainText()
    printed = window.viewer.print_document().toPlainText()
    assert "remote image" not in printed and "[chart]" in printed


def test_print_and_export_are_in_the_file_menu_with_keys(driver):
    window = driver.window
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_print in file_menu.actions() and window.act_export_pdf in file_menu.actions()
    assert window.act_print.shortcut().toString() == "Ctrl+P"
    assert window.act_clear_images in file_menu.actions() and window.act_offline in file_menu.actions()
