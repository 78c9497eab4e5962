"""Chizhou (池州) as demo data: five districts, 60 urban and 32 rural communities, the service
categories. Built by functions from a seed number, so every run gives the same city."""

import random

# District seats (WGS84) and how far their communities spread (degrees).
DISTRICTS = {
    "贵池区": {"lat": 30.657, "lon": 117.489, "spread": 0.02, "urban": 30, "rural": 10},
    "东至县": {"lat": 30.097, "lon": 117.027, "spread": 0.012, "urban": 10, "rural": 8},
    "青阳县": {"lat": 30.639, "lon": 117.847, "spread": 0.012, "urban": 10, "rural": 7},
    "石台县": {"lat": 30.210, "lon": 117.486, "spread": 0.008, "urban": 5, "rural": 4},
    "九华山风景区": {"lat": 30.482, "lon": 117.803, "spread": 0.008, "urban": 5, "rural": 3},
}

URBAN_STEMS = {
    "贵池区": ["秋浦", "清溪", "杏花村", "齐山", "池阳", "翠微", "平天湖", "百牙", "长江", "秀山",
              "碧山", "白洋", "梅龙", "马衙", "江口", "乌沙", "墩上", "里山", "梅街", "涓桥",
              "殷汇", "牛头山", "棠溪", "唐田", "牌楼", "昭明", "南湖", "孝肃", "建设", "九华"],
    "东至县": ["尧渡", "东流", "大渡口", "胜利", "香隅", "升金湖", "华源", "建新", "龙泉", "城东"],
    "青阳县": ["蓉城", "五溪", "新河", "丁桥", "木镇", "庙前", "陵阳", "杨田", "酉华", "朱备"],
    "石台县": ["仁里", "七都", "矶滩", "横渡", "秋浦河"],
    "九华山风景区": ["九华街", "柯村", "闵园", "天台", "甘露"],
}
RURAL_STEMS = {
    "贵池区": ["桃坡", "茶溪", "高坦", "太朴", "罗城", "刘街", "灌口", "山口", "西华", "元四"],
    "东至县": ["官港", "花园", "木塔", "泥溪", "青山", "葛公", "张溪", "洋湖"],
    "青阳县": ["童埠", "杜村", "乔木", "南阳", "沙济", "九华乡", "新桥"],
    "石台县": ["大演", "丁香", "小河", "珂田"],
    "九华山风景区": ["二圣", "拜经台", "九子岩"],
}

def communities(seed: int = 2026) -> list[dict]:
    """The 92 communities, urban ones first within each district."""
    rng = random.Random(seed)
    rows = []
    for district, d in DISTRICTS.items():
        for kind, stems, suffix in (("urban", URBAN_STEMS[district], "社区"),
                                    ("rural", RURAL_STEMS[district], "村")):
            assert len(stems) == d[kind], district
            for stem in stems:
                # Towns are compact; villages lie out in the county (about 10 km away).
                spread = d["spread"] * (1 if kind == "urban" else 6)
                households = rng.randint(1500, 6000) if kind == "urban" else rng.randint(350, 1400)
                rows.append({
                    "name": stem + suffix,
                    "district": district,
                    "kind": kind,
                    "households": households,
                    "population": round(households * rng.uniform(2.5, 3.1)),
                    "lat": round(d["lat"] + rng.uniform(-spread, spread), 5),
                    "lon": round(d["lon"] + rng.uniform(-spread, spread), 5),
                })
    return rows
