"""Generate archives shaped like the real Chinese financial news mirror.

About 70 sources as string categories (some with spaces or parentheses), tags
``<source>新闻``, raw-HTML bodies of 2–6 KB of Chinese text, 85% of posts in
``old_post/`` and 15% in ``_posts/``, 5% of dates without an offset, a few empty titles
and list-valued tags. Deterministic for a given seed.

    python -m tests.benchmarks.generate OUT_FOLDER COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import itertools
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
#: Named terms and the share of posts that mention them, as in a real news mirror.
TERMS = {
    "央行": 0.08,
    "A股": 0.15,
    "港股": 0.06,
    "碳中和": 0.03,
    "蚂蚁": 0.01,
    "ESG": 0.02,
    "美联储": 0.04,
    "降准": 0.01,
    "人民币汇率": 0.03,
    "新能源汽车": 0.04,
    "半导体": 0.05,
    "房地产": 0.07,
    "科创板": 0.04,
    "北交所": 0.01,
    "数字经济": 0.02,
    "普惠金融": 0.01,
}
#: Common characters the rest of the text is drawn from (Zipf-like, as real text is).
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件"
    "长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给"
    "色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白"
    "教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
    "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般"
    "史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状"
    "育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)


_CUMULATIVE = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(COMMON))))


def _paragraph(rng: random.Random, mentions: list[str]) -> str:
    count = rng.randint(60, 160)
    text = "".join(rng.choices(COMMON, cum_weights=_CUMULATIVE, k=count))
    cut = rng.randint(0, len(text))
    extra = "，".join(mentions)
    return "<p>" + text[:cut] + (("，" + extra + "，") if extra else "") + text[cut:] + "。</p>"


def post_text(rng: random.Random, number: int, when: datetime, source: str) -> tuple[str, str]:
    """(file name, text) of one generated post."""
    ident = f"NW{when:%Y%m%d}{number:010d}"
    mentions = [term for term, share in TERMS.items() if rng.random() < share]
    words = "".join(rng.choices(COMMON, cum_weights=_CUMULATIVE, k=rng.randint(8, 20)))
    title = (mentions[0] + "：" if mentions and rng.random() < 0.5 else "") + words + f"（第{number}号）"
    if rng.random() < 0.002:
        title = ""
    tag = source.split(maxsplit=1)[0].split("(", maxsplit=1)[0] + "新闻"
    date_line = f"{when:%Y-%m-%d %H:%M:%S}" if rng.random() < 0.05 else f"{when:%Y-%m-%d %H:%M:%S} +0800"
    tags_line = f"tags: [{tag}, 财经]" if rng.random() < 0.01 else f"tags: {tag}"
    body = ""
    target = rng.randint(2048, 6144)
    while len(body.encode()) < target:
        body += _paragraph(rng, mentions)
        mentions = []
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
