"""Generate archives shaped like the real Chinese financial news mirror.

About 70 sources as string categories (some with spaces or parentheses), tags
``<source>新闻``, raw-HTML bodies of 2–6 KB of Chinese text, 85% of posts in
``old_post/`` and 15% in ``_posts/``, 5% of dates without an offset, a few empty titles
and list-valued tags. Deterministic for a given seed.

    python -m tests.benchmarks.generate OUT_FOLDER COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

SOURCES = [
    "cailianshe",
    "zhitongcaijing",
    "21shijijingjibaodao 21caijingAPP",
    "diyicaijing",
    "jiemian",
    "zhongguozhengquanbao",
    "shanghaizhengquanbao",
    "zhengquanshibao",
    "jingjiguanchabao",
    "xinhuashe",
    "renminribao",
    "yangshixinwen",
    "caixin",
    "caijing",
    "meirijingjixinwen",
    "xinjingbao",
    "pengpai",
    "huxiu",
    "36kr",
    "tmtpost",
    "leiphone",
    "ifeng(caijing)",
    "sina(caijing)",
    "wangyi(caijing)",
    "tengxun(caijing)",
    "sohu(caijing)",
    "dongfangcaifu",
    "hexun",
    "zhongjinzaixian",
    "jinrongjie",
    "zhongguojingjiwang",
    "guojiajinrongbao",
    "jingjicankaobao",
    "zhongguojijinbao",
    "qihuoribao",
    "zhongguoyinhangbaoxianbao",
    "kexunwang",
    "gelonghui",
    "xueqiu",
    "wallstreetcn",
    "yicai",
    "nbd",
    "stcn",
    "cnstock",
    "cs",
    "eastmoney",
    "10jqka",
    "p5w",
    "cnfol",
    "ce",
    "chinanews",
    "people",
    "xinhuanet",
    "cctv",
    "gov",
    "pbc",
    "csrc",
    "cbirc",
    "safe",
    "mof",
    "ndrc",
    "stats",
    "miit",
    "mofcom",
    "sasac",
    "customs",
    "sse",
    "szse",
    "bse",
    "hkex",
]
PHRASES = [
    "央行",
    "降准",
    "蚂蚁集团",
    "碳中和",
    "A股",
    "港股",
    "美联储",
    "人民币汇率",
    "稳增长",
    "财政政策",
    "货币政策",
    "新能源汽车",
    "半导体",
    "房地产",
    "消费复苏",
    "外资流入",
    "科创板",
    "北交所",
    "数字经济",
    "绿色金融",
    "普惠金融",
    "小微企业",
    "供应链",
    "出口数据",
    "通胀",
    "国债收益率",
    "ESG",
    "研发投入",
]
FILLER = (
    "市场人士表示，今年以来相关政策持续发力，经济运行总体平稳，"
    "结构调整稳步推进，企业信心逐步恢复，投资者关注后续政策走向。"
)


def _paragraph(rng: random.Random) -> str:
    words = [rng.choice(PHRASES) for _ in range(rng.randint(3, 8))]
    return "<p>" + "，".join(words) + "。" + FILLER * rng.randint(1, 3) + "</p>"


def post_text(rng: random.Random, number: int, when: datetime, source: str) -> tuple[str, str]:
    """(file name, text) of one generated post."""
    ident = f"NW{when:%Y%m%d}{number:010d}"
    title = "".join(rng.choice(PHRASES) for _ in range(rng.randint(2, 4))) + f"：第{number}号报道"
    if rng.random() < 0.002:
        title = ""
    tag = source.split(maxsplit=1)[0].split("(", maxsplit=1)[0] + "新闻"
    date_line = f"{when:%Y-%m-%d %H:%M:%S}" if rng.random() < 0.05 else f"{when:%Y-%m-%d %H:%M:%S} +0800"
    tags_line = f"tags: [{tag}, 财经]" if rng.random() < 0.01 else f"tags: {tag}"
    body = ""
    target = rng.randint(2048, 6144)
    while len(body.encode()) < target:
        body += _paragraph(rng)
    text = (
        f'---\nlayout: post\ntitle: "{title}"\ndate: {date_line}\ncategories: {source}\n{tags_line}\n---\n'
        f'{body}<p class="em_media">（文章来源：{tag}）</p>\n\n'
        f"<http://finews.example/html_News/NewsShare.html?infoCode={ident}>\n\n"
        f"[返回{tag}](//finews.example/category/{source.split(maxsplit=1)[0]}.html)｜[返回首页](//finews.example/)\n"
    )
    return f"{when:%Y-%m-%d}-{ident}.md", text


def generate(root: Path, count: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    (root / "old_post").mkdir(parents=True, exist_ok=True)
    start = datetime(2019, 1, 1, 8, 0, 0)
    span = (datetime(2026, 11, 1) - start).total_seconds()
    for number in range(count):
        when = start + timedelta(seconds=int(span * number / max(count, 1)) + rng.randint(0, 3600))
        name, text = post_text(rng, number, when, rng.choice(SOURCES))
        folder = "_posts" if number >= count * 0.85 else "old_post"
        (root / folder / name).write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    generate(options.out, options.count, options.seed)


if __name__ == "__main__":
    main()
