"""The interface's own words in the languages radar.yaml's `site.language` may name.

English is the key; a language lists its translation of each. Templates call `_('…')` (a
Jinja global made by `translator`); a word missing from a language is shown in English, and
tests/site/test_messages.py fails when a template uses a word a shipped language lacks.
The LLM's output language is another setting (`llm.language`)."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "zh")

ZH = {
    "Skip to content": "跳到正文",
    "Site": "站点",
    "Browse": "浏览",
    "Trends": "趋势",
    "Briefings": "简报",
    "Subscribe": "订阅",
    "Status": "状态",
    "Search papers": "搜索论文",
    "Search papers, authors, topics…": "搜索论文、作者、主题…",
    "Search": "搜索",
    "papers belong to their authors": "论文版权归其作者所有",
    "built with Pelican and Pagefind": "由 Pelican 与 Pagefind 构建",
    "Filter and order": "筛选与排序",
    "Watched authors:": "关注的作者：",
    "Shuffle": "随机排序",
    "Papers": "论文",
    "Authors:": "作者：",
    "et al.": "等",
    "TL;DR": "一句话总结",
    "automatic": "自动",
    "Problem": "问题",
    "Method": "方法",
    "Result": "结果",
    "Abstract": "摘要",
    "Show full abstract": "展开摘要",
    "Full abstract →": "完整摘要 →",
    "Code": "代码",
    "Matched:": "匹配原因：",
    "watched author": "关注的作者",
    "Automatic briefing": "自动简报",
    "Daily briefing": "每日简报",
    "Themes:": "主题：",
    "Read the briefing →": "阅读简报 →",
    "Days": "日期",
    "Watched author": "关注的作者",
    "Topic": "主题",
    "Source": "来源",
    "Day": "日期",
    "{n} papers": "{n} 篇论文",
    "1 paper": "1 篇论文",
    "Papers of {first} – {last}": "{first} – {last} 的论文",
    "Atom feed": "Atom 订阅",
    "Briefing of the day": "当日简报",
    "updated": "更新于",
    "Links": "链接",
    "Categories": "分类",
    "Journal": "期刊",
    "Comments": "备注",
    "Why it is here": "收录原因",
    "All papers of {day}": "{day} 的全部论文",
    "the day’s briefing": "当日简报",
    "Pages": "分页",
    "← Newer": "← 较新",
    "Older →": "较旧 →",
    "Page {number} of {count}": "第 {number} / {count} 页",
    "{n} older papers: browse by day, topic or source →": (
        "另有 {n} 篇较早论文：按日期、主题或来源浏览 →"
    ),
    (
        "No papers here yet. The last run, for {day}, fetched {fetched} items "
        "and matched {matched}."
    ): ("这里还没有论文。最近一次运行（{day}）抓取了 {fetched} 条，匹配 {matched} 条。"),
    "{failed} of {total} sources failed:": "{total} 个来源中有 {failed} 个失败：",
    "The status page has every night’s report.": "状态页有每晚的运行报告。",
    (
        "No papers here yet: no night has run. Run make run (or the nightly "
        "workflow) to collect the first day."
    ): ("这里还没有论文：尚未运行过。运行 make run（或每晚的工作流）来收集第一天的论文。"),
    "Abstract page": "摘要页",
    "What the radar collected, week by week, and the words of this month’s titles that were "
    "rarer before.": "雷达每周收集的论文，以及本月标题中比以往更常见的词。",
    "Papers per topic by week": "各主题每周论文数",
    "Papers per source by week": "各来源每周论文数",
    "Title words rising this month": "本月上升的标题词",
    "Word": "词",
    "Name": "名称",
    "failed": "失败",
    "Items": "条目",
    "Time": "耗时",
    "Not enough papers yet.": "论文还不够多。",
    "No papers yet: the charts appear after the first night.": (
        "还没有论文：第一晚运行后会出现图表。"
    ),
    "Each source, night by night": "各来源每晚情况",
    "The numbers as a table": "以表格查看数据",
}

TABLES: dict[str, dict[str, str]] = {"en": {}, "zh": ZH}


@dataclass(frozen=True)
class Translator:
    """`_` for the templates: the word in `language`, English when the table lacks it.
    A class, not a closure: Pelican pickles its settings into its cache."""

    language: str

    def __call__(self, text: str) -> str:
        return TABLES.get(self.language, {}).get(text, text)


def translator(language: str) -> Translator:
    return Translator(language)
