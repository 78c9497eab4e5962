"""Reference data every installation needs, demo or not: the service categories and the
outlet categories. Inserted by a migration; codes never change once released."""

# 15 service categories (code, Chinese, English), in the report's order.
SERVICE_CATEGORIES = [
    ("elderly", "助老", "Elderly care"),
    ("disability", "助残", "Disability support"),
    ("study", "助学", "Study support"),
    ("hardship", "助困", "Hardship relief"),
    ("housekeeping", "家政", "Housekeeping"),
    ("nursing", "护理", "Nursing care"),
    ("repair", "维修", "Repairs"),
    ("errands", "代购", "Errands and shopping"),
    ("medicine", "配医", "Medicine delivery"),
    ("legal", "法律", "Legal aid"),
    ("counselling", "心理", "Counselling"),
    ("environment", "环境", "Environment"),
    ("culture", "文化", "Culture and sport"),
    ("safety", "治安", "Public safety"),
    ("health", "健康", "Health promotion"),
]

# MOFCOM's 15-minute convenience circle list, then public-service points.
# (code, Chinese, English, basic: counts for coverage, hotline: printed on the service card)
OUTLET_CATEGORIES = [
    ("convenience_store", "便利店", "Convenience store", 1, 0),
    ("supermarket", "超市", "Supermarket", 1, 0),
    ("wet_market", "菜市场", "Wet market", 1, 0),
    ("breakfast", "早餐店", "Breakfast", 1, 0),
    ("canteen", "社区食堂", "Community canteen", 1, 0),
    ("laundry", "洗衣店", "Laundry", 1, 0),
    ("barber", "理发店", "Barber", 1, 0),
    ("housekeeping", "家政服务", "Housekeeping", 1, 0),
    ("repair", "维修点", "Repair shop", 1, 0),
    ("pharmacy", "药店", "Pharmacy", 1, 0),
    ("post_express", "邮政快递", "Post and express", 1, 0),
    ("bank", "银行网点", "Bank", 1, 0),
    ("clinic", "社区卫生服务站", "Clinic / health station", 1, 0),
    ("daycare", "日间照料中心", "Day-care centre", 0, 1),
    ("police", "社区警务室", "Community police office", 0, 1),
    ("property", "物业服务中心", "Property management office", 0, 1),
    ("committee", "居委会", "Residents' committee", 0, 1),
    ("other", "其他", "Other", 0, 0),  # imports whose category is missing or unknown land here, flagged
]


def service_category_rows() -> list[dict]:
    return [{"code": c, "name_zh": zh, "name_en": en, "sort": i} for i, (c, zh, en) in enumerate(SERVICE_CATEGORIES)]


def outlet_category_rows() -> list[dict]:
    return [{"code": c, "name_zh": zh, "name_en": en, "basic": b, "hotline": h, "sort": i}
            for i, (c, zh, en, b, h) in enumerate(OUTLET_CATEGORIES)]
