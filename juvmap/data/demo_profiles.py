"""The calibration tables of the synthetic demo layer (read by ``make_demo.py``): each region's
documented profile, and the hour, month, place, flag and gravity patterns. Assumptions are
marked as such; sourced figures cite the seed lines."""

import numpy as np

# region ISO -> English name
REGIONS = {
    "KZ-10": "Abai Region", "KZ-11": "Akmola Region", "KZ-15": "Aktobe Region", "KZ-19": "Almaty Region",
    "KZ-23": "Atyrau Region", "KZ-27": "West Kazakhstan Region", "KZ-31": "Jambyl Region",
    "KZ-33": "Jetisu Region", "KZ-35": "Karaganda Region", "KZ-39": "Kostanay Region",
    "KZ-43": "Kyzylorda Region", "KZ-47": "Mangystau Region", "KZ-55": "Pavlodar Region",
    "KZ-59": "North Kazakhstan Region", "KZ-61": "Turkistan Region", "KZ-62": "Ulytau Region",
    "KZ-63": "East Kazakhstan Region", "KZ-71": "Astana", "KZ-75": "Almaty City", "KZ-79": "Shymkent",
}

R1 = "digest R1 (004:L507-514): high 'drunk crime' per 100k"
REGION_PROFILES = {  # iso -> (what was made different, basis, multipliers)
    "KZ-10": ("more intoxicated offenders, more night-time offences", R1 + " in the parent East Kazakhstan",
              {"intoxicated": 2.2, "hours": "night"}),
    "KZ-11": ("more intoxicated offenders, many more night-time offences", R1 + " (114.7)",
              {"intoxicated": 2.0, "hours": "night"}),
    "KZ-15": ("many incidents at schools", "illustrative (schools get security systems, digest J19)",
              {"place": {"school": 3.0}}),
    "KZ-19": ("more incidents at 'other' places (dachas, fields) and more group offences", "illustrative",
              {"place": {"other": 2.5}, "group": 1.4}),
    "KZ-23": ("fewer pupils (more out-of-school teenagers), more 'other' places", "illustrative",
              {"pupil": 0.75, "place": {"other": 2.0}}),
    "KZ-27": ("more offences in public transport, more intoxicated offenders",
              "digest R2 (004:L173-175) mobile-phone thefts; " + R1 + " (92.2)",
              {"place": {"transport": 2.5}, "intoxicated": 2.0}),
    "KZ-31": ("more group offences, more in yards", "illustrative",
              {"group": 1.8, "place": {"yard": 2.0}}),
    "KZ-33": ("summer peak (June-August x2.5), more at entertainment venues", "illustrative (Alakol resort season)",
              {"months": "summer", "place": {"entertainment": 2.0}}),
    "KZ-35": ("many more repeat offenders, fewer pupils", "illustrative",
              {"repeat": 2.2, "pupil": 0.85}),
    "KZ-39": ("more intoxicated and more repeat offenders", R1 + " (104); highest unemployment (2,868)",
              {"intoxicated": 2.0, "repeat": 1.8}),
    "KZ-43": ("many incidents at home, few intoxicated", "illustrative",
              {"place": {"home": 2.5}, "intoxicated": 0.4}),
    "KZ-47": ("more group offences, more at entertainment venues", "illustrative",
              {"group": 1.8, "place": {"entertainment": 2.0}}),
    "KZ-55": ("daytime profile: more offences 08:00-13:59, fewer repeat offenders", "illustrative",
              {"hours": "morning", "repeat": 0.5}),
    "KZ-59": ("more intoxicated offenders, more incidents at home",
              R1 + " (126.2); ~70 % of family-domestic offences involve alcohol (004:L496-498)",
              {"intoxicated": 2.5, "place": {"home": 2.0}}),
    "KZ-61": ("more pupils and school incidents, few intoxicated",
              "youngest population: 43.3 % aged 0-17 (facts.md 3)",
              {"pupil": 1.15, "place": {"school": 1.8}, "intoxicated": 0.4}),
    "KZ-62": ("more night-time offences, many more repeat offenders", "illustrative",
              {"hours": "night", "repeat": 2.0}),
    "KZ-63": ("many intoxicated offenders (x3)", R1 + " (140, the highest)", {"intoxicated": 3.0}),
    "KZ-71": ("more at shops and entertainment venues, later evening hours", "illustrative",
              {"place": {"shop": 1.8, "entertainment": 2.5}, "hours": "evening"}),
    "KZ-75": ("more offences in public transport and shops, more girls",
              "digest R2 (004:L173-175) mobile-phone thefts; girls illustrative",
              {"place": {"transport": 2.5, "shop": 1.5}, "girls": 1.8}),
    "KZ-79": ("more group offences, more in the street", "illustrative",
              {"group": 2.0, "place": {"street": 1.5}}),
}

# base hour weights 00..23: afternoon peak 14:00-18:59 (digest J6), few at night
HOURS = np.array([1.0, 0.6, 0.4, 0.3, 0.2, 0.3, 0.6, 1.2, 2.0, 2.5, 3.0, 3.5,
                  4.5, 6.0, 14.0, 16.0, 17.0, 17.0, 15.0, 8.0, 6.0, 4.0, 3.0, 2.0])
HOUR_PROFILES = {"night": ([20, 21, 22, 23, 0, 1, 2, 3, 4, 5], 2.5), "evening": ([19, 20, 21, 22, 23], 2.0),
                 "morning": (list(range(8, 14)), 2.5)}
MONTHS = np.array([0.85, 0.85, 0.95, 1.0, 1.05, 1.1, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9])
PLACE_BY_CATEGORY = {  # street, yard, school, shop, home, transport, entertainment, other (assumption)
    "property": (22, 12, 8, 25, 10, 10, 6, 7), "person": (35, 20, 15, 2, 10, 3, 10, 5),
    "sexual": (5, 10, 5, 0, 65, 0, 5, 10), "public_order_safety": (45, 15, 8, 5, 2, 8, 12, 5),
    "drugs": (40, 20, 5, 0, 15, 5, 10, 5), "road_traffic": (90, 5, 0, 0, 0, 0, 0, 5),
    "against_authority": (50, 10, 5, 5, 10, 5, 10, 5), "other": (20, 10, 10, 10, 20, 5, 10, 15),
}
CATEGORY_FLAGS = {  # relative likelihood of group / intoxicated / girls by category (assumption)
    "property": (1.0, 0.7, 1.0), "person": (1.0, 1.5, 0.8), "sexual": (0.5, 1.5, 0.1),
    "public_order_safety": (1.5, 1.8, 0.6), "drugs": (0.8, 1.0, 0.8), "road_traffic": (0.2, 2.0, 0.2),
    "against_authority": (0.7, 1.8, 0.5), "other": (0.7, 1.0, 1.0),
}
# approximate gravity weights (minor, medium, grave, especially grave) by article and part
GRAVITY_BY_ARTICLE = {
    "187": (1, 0, 0, 0), "188": (.25, .55, .2, 0), "188-1": (.1, .5, .4, 0), "189": (.3, .5, .2, 0),
    "190": (.3, .5, .2, 0), "191": (0, .5, .45, .05), "192": (0, 0, .6, .4), "194": (0, .4, .5, .1),
    "200": (.2, .6, .2, 0), "202": (.5, .5, 0, 0), "99": (0, 0, 0, 1), "100": (0, 1, 0, 0),
    "101": (0, 1, 0, 0), "102": (1, 0, 0, 0), "106": (0, 0, .8, .2), "107": (0, .8, .2, 0),
    "114": (1, 0, 0, 0), "120": (0, 0, .6, .4), "121": (0, 0, .6, .4), "122": (0, .3, .7, 0),
    "293": (.3, .5, .2, 0), "272": (0, .3, .4, .3), "255": (0, 0, 0, 1), "273": (0, 1, 0, 0),
    "287": (0, .8, .2, 0), "291": (0, 0, .8, .2), "296": (.5, .5, 0, 0), "297": (0, .2, .5, .3),
    "345": (.3, .6, .1, 0), "378": (1, 0, 0, 0), "380": (0, .7, .3, 0), "389": (.6, .4, 0, 0),
}
GRAVITY_DEFAULT = (.3, .6, .1, 0)
AGE14_EXTRA = {"293"}  # hooliganism: assumed in the Art. 15 age-14 list (facts.md 5: list seen only in part)
RIOTS_2022 = ("272", 3, 4, 11)  # mass riots: only in 2022, dated 4-11 January (the January 2022 unrest)
PUPIL_BY_AGE = {14: 0.95, 15: 0.90, 16: 0.72, 17: 0.58}  # relative, calibrated to 72 % nationally
REPEAT_BY_AGE = {14: 0.6, 15: 0.8, 16: 1.0, 17: 1.2}
