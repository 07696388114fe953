"""Charts: PNG from Figure objects, Chinese drawn by the bundled CJK font (no tofu), cached by data."""
import sys

from hallmon.web import charts

LABELS = "考核得分 合格线 迟到 严重迟到 早退 缺卡 旷工 受理科 登簿发证科 档案查询 一月 十二月"


def test_the_bundled_font_has_every_glyph_of_the_labels():
    assert charts.missing_glyphs(LABELS) == []
    assert charts.missing_glyphs("考核\U00013000") == ["\U00013000"]  # the check itself can fail


def test_a_chinese_line_chart_renders_to_png_without_missing_glyph_warnings():
    spec = charts.line_spec("2024 年月度考核得分", [f"{m}月" for m in range(1, 13)],
                            {"考核得分": [95, 96, None, 92, 91, 93, 94, 86.5, 92, 95, 97, 96]},
                            hline=90, hline_label="合格线 90 分", ylim=(0, 105))
    png = charts.render(spec)  # warnings are errors in this suite: a missing glyph would fail here
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_stacked_and_horizontal_bars_render():
    stacked = charts.bar_spec("迟到早退（按周）", ["第1周", "第2周"], {"迟到": [3, 1], "早退": [0, 2], "旷工": [1, 0]},
                              stacked=True)
    horizontal = charts.bar_spec("业务量", ["受理科", "档案查询"], {"件数": [231272, 354066]}, horizontal=True,
                                 hline=300000, hline_label="目标")
    assert charts.render(stacked)[:4] == b"\x89PNG" and charts.render(horizontal)[:4] == b"\x89PNG"


def test_the_same_data_is_drawn_once_and_changed_data_again():
    spec = charts.bar_spec("缓存测试", ["甲"], {"数": [1]})
    first = charts.render(spec)
    assert charts.CACHE.get(charts.spec_key(spec)) is first
    assert charts.render(spec) is first
    changed = charts.bar_spec("缓存测试", ["甲"], {"数": [2]})
    assert charts.spec_key(changed) != charts.spec_key(spec)


def test_charts_never_load_pyplot():
    charts.render(charts.bar_spec("不用 pyplot", ["甲"], {"数": [1]}))
    assert "matplotlib.pyplot" not in sys.modules
