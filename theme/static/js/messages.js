// The scripts' own words in the page's language (<html lang>, from radar.yaml's site.language);
// English is the key, as in pipeline/site/messages.py, and a missing word is shown in English.
const ZH = {
  "Authors: {name}": "作者：{name}",
  "Clear author filter {name}": "清除作者筛选 {name}",
  "{shown} of {total} papers on this page": "本页 {total} 篇中的 {shown} 篇",
  "No paper on this page is by {name}.": "本页没有 {name} 的论文。",
  "all {count} in the archive →": "存档中全部 {count} 篇 →",
  "search the archive for {name} →": "在存档中搜索 {name} →",
  "1 paper in the archive": "存档中有 1 篇",
  "{count} papers in the archive": "存档中有 {count} 篇",
  "Newest first": "最新优先",
  "Shuffled: each card keeps its number in the newest-first order.": "已随机排序：每张卡片保留其按最新排序时的编号。",
  "Shuffle": "随机排序",
  "Show full abstract": "展开摘要",
  "Show less": "收起",
  "Search results": "搜索结果",
  "Filters": "筛选",
  "Load more": "加载更多",
  "Loading search…": "正在加载搜索…",
  "Loading filters…": "正在加载筛选…",
  "Loading older papers…": "正在加载较早的论文…",
  "No results": "没有结果",
  "{n} result": "{n} 条结果",
  "{n} results": "{n} 条结果",
  " for “{term}”": "（“{term}”）",
  " with the chosen filters": "（已筛选）",
  "{found}{what} in the whole archive ({period}).": "{found}{what}，范围：整个存档（{period}）。",
  "{found}{what} in papers of {period}.": "{found}{what}，范围：{period} 的论文。",
  "No results in papers of {period}; searching older papers too…": "{period} 的论文中没有结果；正在搜索更早的论文…",
  "Type to search, or choose filters.": "输入以搜索，或选择筛选条件。",
  "Also search older papers ({period}, {count})": "同时搜索更早的论文（{period}，{count}）",
  "{n} paper": "{n} 篇论文",
  "{n} papers": "{n} 篇论文",
  "Search is not available right now: its index could not be loaded. Try again later, or browse the papers by author, topic, source or day.":
    "搜索暂不可用：索引无法加载。请稍后再试，或按作者、主题、来源或日期浏览论文。",
  "Nothing to search yet: the archive has no papers. They arrive with the first night.":
    "还没有可搜索的内容：存档中没有论文。第一晚运行后就会有。",
  "Source": "来源",
  "Topic": "主题",
  "Year": "年份",
  "Watched author": "关注的作者",
  "Exact match": "精确匹配",
};

const TABLES = { zh: ZH };

export const language = document.documentElement.lang || "en";

// t("{n} results", {n: 3}): the phrase in the page's language with its blanks filled in.
export function t(text, values = {}) {
  const phrase = (TABLES[language] || {})[text] || text;
  return phrase.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
