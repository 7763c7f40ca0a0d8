#!/usr/bin/python3
"""Writes eval/cases_vega_extra.jsonl: the "vega_extra" evaluation set.

Every case holds a request as people type it (English, Spanish, Portuguese)
over one of nine files of the npm package vega-datasets 3.2.1 that the shared
vega set does not use, copied into eval/data_vega_extra/ (see its README; two
are the first rows of a larger file), and the chart a careful analyst would
draw for it, computed here with pandas from the files themselves. The judging
rules are those of ../shared/eval/README.md (eval/judge.ts).

    /usr/bin/python3 eval/make_vega_extra_cases.py          # rewrite the JSONL
    /usr/bin/python3 eval/make_vega_extra_cases.py --check  # fail if it differs

Conventions of this set beyond the shared README:
- Dates are calendar dates whatever their spelling (2012-01-01, "Jan 1 2000",
  "Jun 12 1998"); a month is labelled YYYY-MM, a year YYYY, a day YYYY-MM-DD.
  A file's own grain is its axis when the request names none ("over time" on
  monthly sp500 is monthly); a yearly or monthly figure of a measure is its
  mean when the request names no aggregate and the measure is a level (a
  price, employment), its sum when it is a flow that adds up (deaths,
  precipitation, generation).
- Ranges ("between 2003 and 2007", "from 1990 to 1999") include both ends;
  "since 2000" includes 2000.
- Counting ("how many", "number of") counts rows: a row of la-riots.csv is
  one death, of birdstrikes.csv one strike, of movies.json one film.
- Missing values are left out: a mean is over the rows that have the
  measure; a row whose category is missing (MPAA Rating, Major Genre null in
  movies.json) is no bar. In birdstrikes.csv the damage level "None" is a
  level (no damage), as the FAA database means it, not a missing value.
- A histogram with a named bin width has bins [lo, lo + width) whose edges
  are multiples of the width, labelled by the lower edge, every bin from the
  one holding the minimum to the one holding the maximum (empty bins are 0).
- A place or category named in Spanish or Portuguese is the value the file
  spells in English (Nueva York → New York, Brasil → Brazil, terremotos →
  Earthquake).
- Category labels are the values as they are in the file; numeric codes
  (gapminder's cluster 0-5) are labelled as JavaScript prints the number.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from casegen import CaseSet, bars, clarify, download, scatter, split, timeline, top, v2

HERE = Path(__file__).resolve().parent
DATA = HERE / "data_vega_extra"
SET = CaseSet(DATA, HERE / "cases_vega_extra.jsonl")
case = SET.case


def trimmed(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].str.strip()
    return df


def csv(name: str) -> pd.DataFrame:
    """A copied CSV; only an empty cell is missing (the text None is a value)."""
    return trimmed(pd.read_csv(DATA / name, keep_default_na=False, na_values=[""]))


def records(name: str) -> pd.DataFrame:
    """A copied JSON array of records; null is missing."""
    return trimmed(pd.DataFrame(json.loads((DATA / name).read_text(encoding="utf-8"))))


def hist(values: pd.Series, width: float, name: str) -> dict:
    """Histogram with bins of `width` (see the module's conventions)."""
    v = values.dropna().to_numpy(dtype=float)
    k = np.floor(v / width + 1e-9).astype(int)
    bins = np.arange(k.min(), k.max() + 1)
    counts = pd.Series(k).value_counts().reindex(bins, fill_value=0)
    s = pd.Series(counts.values, index=[b * width for b in bins])
    e = bars(s, name, type="histogram")
    e["types"] = ["histogram", "bar"]
    return e


def timeline_of(s: pd.Series, name: str, **kw) -> dict:
    """A time axis whose index already holds ISO labels (YYYY-MM, YYYY-MM-DD)."""
    s = s.sort_index()
    return timeline(s, name, labels=[str(i) for i in s.index], **kw)


# ------------------------------------------------------------------- the data
weather = csv("weather.csv")
weather["year"] = weather["date"].str[:4]
weather["month"] = weather["date"].str[:7]
seattle = weather[weather.location == "Seattle"]
new_york = weather[weather.location == "New York"]

gap = records("gapminder.json")

movies = records("movies.json")
movies["released"] = pd.to_datetime(movies["Release Date"], format="%b %d %Y")

disasters = csv("disasters.csv")
quakes = disasters[disasters.Entity == "Earthquake"].set_index("Year")["Deaths"]

iowa = csv("iowa-electricity.csv")
iowa["yr"] = iowa["year"].str[:4]
iowa_wide = iowa.pivot(index="yr", columns="source", values="net_generation")

jobs = csv("us-employment.csv")
jobs["yr"] = jobs["month"].str[:4]
jobs["ym"] = jobs["month"].str[:7]

sp = csv("sp500.csv")
sp["when"] = pd.to_datetime(sp["date"], format="%b %d %Y")
sp["ym"] = sp["when"].dt.strftime("%Y-%m")
sp["yr"] = sp["when"].dt.strftime("%Y")

birds = csv("birdstrikes.csv")
birds["yr"] = birds["Flight Date"].str[:4]

riots = csv("la-riots.csv")

# Shared results.
seattle_2015_max = seattle[seattle.year == "2015"].groupby("month")["temp_max"].mean()
precip_by_year = weather.pivot_table(index="year", columns="location", values="precipitation", aggfunc="sum")
tmin_by_year = weather.pivot_table(index="year", columns="location", values="temp_min", aggfunc="mean")
pop_2005_top10 = top(gap[gap.year == 2005].set_index("country")["pop"], 10)
japan_life = gap[gap.country == "Japan"].set_index("year")["life_expect"]
movies_by_rating = movies.groupby("MPAA Rating").size()
imdb_by_genre = movies.groupby("Major Genre")["IMDB Rating"].mean()
strikes_by_state_top5 = top(birds.groupby("Origin State").size(), 5)
strikes_by_phase = birds.groupby("Phase of flight").size()
deaths_by_race = riots.groupby("race").size()
nonfarm_by_year = jobs.groupby("yr")["nonfarm"].mean()
generation_by_year = iowa.groupby("yr")["net_generation"].sum()
sp_monthly = sp.set_index("ym")["price"]

# -------------------------------------------------------------------- English
# weather.csv: daily weather of Seattle and New York, 2012-2015.
case(
    "vx-en-01",
    "weather.csv",
    "average max temperature per month in Seattle in 2015",
    timeline_of(seattle_2015_max, "temp_max"),
)
case("vx-en-02", "weather.csv", "total precipitation by year for each city", split(precip_by_year))
case("vx-en-03", "weather.csv", "temp_max vs temp_min in Seattle", scatter(seattle, "temp_min", "temp_max"))
case(
    "vx-en-04",
    "weather.csv",
    "histogram of Seattle's daily max temperature in 5 degree bins",
    hist(seattle["temp_max"], 5, "count"),
)
case(
    "vx-en-05",
    "weather.csv",
    "number of days with more than 20 mm of precipitation in Seattle per year",
    timeline(seattle[seattle.precipitation > 20].groupby("year").size(), "count"),
)
case("vx-en-06", "weather.csv", "average temperature by month in 2014", clarify("temp_max", "temp_min"))
case(
    "vx-en-07",
    "weather.csv",
    ["average max temperature per month in Seattle in 2015", "add New York"],
    v2(
        split(
            weather[weather.year == "2015"].pivot_table(
                index="month", columns="location", values="temp_max", aggfunc="mean"
            )
        )
    ),
)
case("vx-en-08", "weather.csv", ["total precipitation by year for each city", "download as svg"], download("svg"))

# gapminder.json: 62 countries every 5 years, 1955-2005.
case("vx-en-09", "gapminder.json", "life expectancy in Japan over time", timeline(japan_life, "life_expect"))
case(
    "vx-en-10",
    "gapminder.json",
    "top 10 countries by population in 2005",
    bars(pop_2005_top10, "pop", ordered=True),
)
case(
    "vx-en-11",
    "gapminder.json",
    "fertility vs life expectancy in 2005",
    scatter(gap[gap.year == 2005], "life_expect", "fertility"),
)
case(
    "vx-en-12",
    "gapminder.json",
    "life expectancy of China, India and United States over the years",
    split(gap[gap.country.isin(["China", "India", "United States"])].pivot(index="year", columns="country", values="life_expect")),
)
case(
    "vx-en-13",
    "gapminder.json",
    "life expectancy in 2005 of countries with fertility above 4",
    bars(gap[(gap.year == 2005) & (gap.fertility > 4)].set_index("country")["life_expect"].sort_index(), "life_expect"),
)
case(
    "vx-en-14",
    "gapminder.json",
    ["top 10 countries by population in 2005", "make it 1955 instead"],
    v2(bars(top(gap[gap.year == 1955].set_index("country")["pop"], 10), "pop", ordered=True)),
)
case("vx-en-15", "gapminder.json", ["life expectancy in Japan over time", "give me the python script"], download("py"))

# movies.json (first 500 films): nulls, "Jun 12 1998" dates, names with spaces.
case("vx-en-16", "movies.json", "number of movies per MPAA rating", bars(movies_by_rating, "count"))
case("vx-en-17", "movies.json", "average IMDB rating by major genre", bars(imdb_by_genre, "IMDB Rating"))
case(
    "vx-en-18",
    "movies.json",
    "top 5 movies by worldwide gross",
    bars(top(movies.set_index("Title")["Worldwide Gross"], 5), "Worldwide Gross", ordered=True),
)
case(
    "vx-en-19",
    "movies.json",
    "how many movies were released each year from 1990 to 1999",
    timeline(movies[movies.released.dt.year.between(1990, 1999)].groupby(movies.released.dt.year).size(), "count"),
)
case("vx-en-20", "movies.json", "average gross by genre", clarify("US Gross", "Worldwide Gross"))
case(
    "vx-en-21",
    "movies.json",
    ["number of movies per MPAA rating", "as a pie chart"],
    v2(bars(movies_by_rating, "count"), type="pie"),
)
case(
    "vx-en-22",
    "movies.json",
    ["average IMDB rating by major genre", "top 3 only"],
    v2(bars(top(imdb_by_genre, 3), "IMDB Rating", ordered=True)),
)

# disasters.csv: deaths a year by kind of disaster, 1900-2017.
case("vx-en-23", "disasters.csv", "deaths from earthquakes over time", timeline(quakes, "Deaths"))
case(
    "vx-en-24",
    "disasters.csv",
    "total deaths by disaster type since 2000, excluding All natural disasters",
    bars(
        disasters[(disasters.Year >= 2000) & (disasters.Entity != "All natural disasters")].groupby("Entity")["Deaths"].sum(),
        "Deaths",
    ),
)
case(
    "vx-en-25",
    "disasters.csv",
    "years when earthquakes killed more than 100,000 people",
    timeline(quakes[quakes > 100000], "Deaths"),
)

# iowa-electricity.csv: yearly net generation by source, years as 2001-01-01.
case("vx-en-26", "iowa-electricity.csv", "net generation by source over time", split(iowa_wide))
case(
    "vx-en-27",
    "iowa-electricity.csv",
    "share of net generation by source in 2017",
    bars(iowa[iowa.yr == "2017"].set_index("source")["net_generation"].sort_index(), "net_generation", type="pie"),
)
case(
    "vx-en-28",
    "iowa-electricity.csv",
    ["net generation by source over time", "make it an area chart"],
    v2(split(iowa_wide), type="area"),
)

# us-employment.csv: monthly US employment (thousands) by supersector, 2006-2015.
case("vx-en-29", "us-employment.csv", "average nonfarm employment by year", timeline(nonfarm_by_year, "nonfarm"))

# sp500.csv: monthly S&P 500 close, "Jan 1 2000" to "Mar 1 2010".
case("vx-en-30", "sp500.csv", "s&p 500 price over time", timeline_of(sp_monthly, "price"))
case("vx-en-31", "sp500.csv", "highest price each year", timeline(sp.groupby("yr")["price"].max(), "price"))

# birdstrikes.csv (first 1,500 strikes): long names, "Cost Total $".
case(
    "vx-en-32",
    "birdstrikes.csv",
    "average total cost by phase of flight",
    bars(birds.groupby("Phase of flight")["Cost Total $"].mean(), "Cost Total $"),
)
case(
    "vx-en-33",
    "birdstrikes.csv",
    "top 5 origin states by number of strikes",
    bars(strikes_by_state_top5, "count", ordered=True),
)
case(
    "vx-en-34",
    "birdstrikes.csv",
    "strikes by amount of damage",
    bars(birds.groupby("Effect Amount of damage").size(), "count"),
)
case(
    "vx-en-35",
    "birdstrikes.csv",
    ["strikes per year", "only Texas"],
    v2(timeline(birds[birds["Origin State"] == "Texas"].groupby("yr").size(), "count")),
)
case(
    "vx-en-36",
    "birdstrikes.csv",
    ["top 5 origin states by number of strikes", "save it as an html page"],
    download("html"),
)

# la-riots.csv: one row per death in the 1992 Los Angeles riots.
case("vx-en-37", "la-riots.csv", "number of deaths by race", bars(deaths_by_race, "count"))
case(
    "vx-en-38",
    "la-riots.csv",
    "how many deaths per day",
    timeline_of(riots.groupby("death_date").size(), "count"),
)
case("vx-en-39", "la-riots.csv", "age distribution of the victims in 10-year bins", hist(riots["age"], 10, "count"))
case(
    "vx-en-40",
    "la-riots.csv",
    "share of deaths by type",
    bars(riots.groupby("type").size(), "count", type="pie"),
)

# -------------------------------------------------------------------- Spanish
case(
    "vx-es-01",
    "weather.csv",
    "precipitación total por mes en Nueva York en 2013",
    timeline_of(new_york[new_york.year == "2013"].groupby("month")["precipitation"].sum(), "precipitation"),
)
case(
    "vx-es-02",
    "weather.csv",
    "días de lluvia por año en Seattle",
    timeline(seattle[seattle.weather == "rain"].groupby("year").size(), "count"),
)
case("vx-es-03", "gapminder.json", "población total por año", timeline(gap.groupby("year")["pop"].sum(), "pop"))
case(
    "vx-es-04",
    "gapminder.json",
    "esperanza de vida promedio por cluster en 2005",
    bars(gap[gap.year == 2005].groupby("cluster")["life_expect"].mean(), "life_expect"),
)
case(
    "vx-es-05",
    "movies.json",
    "recaudación mundial total por distribuidor, los 5 mayores",
    bars(top(movies.groupby("Distributor")["Worldwide Gross"].sum(), 5), "Worldwide Gross", ordered=True),
)
case(
    "vx-es-06",
    "movies.json",
    "cantidad de películas por tipo creativo",
    bars(movies.groupby("Creative Type").size(), "count"),
)
case("vx-es-07", "movies.json", "calificación promedio por género", clarify("IMDB Rating", "Rotten Tomatoes Rating"))
case(
    "vx-es-08",
    "disasters.csv",
    "muertes por inundaciones desde 1990",
    timeline(disasters[(disasters.Entity == "Flood") & (disasters.Year >= 1990)].set_index("Year")["Deaths"], "Deaths"),
)
case(
    "vx-es-09",
    "disasters.csv",
    ["muertes por terremotos a lo largo del tiempo", "solo desde 2000"],
    v2(timeline(quakes.loc[2000:], "Deaths")),
)
case("vx-es-10", "iowa-electricity.csv", "generación total por año", timeline(generation_by_year, "net_generation"))
case("vx-es-11", "iowa-electricity.csv", ["generación total por año", "descargar en XML"], download("xml"))
case(
    "vx-es-12",
    "us-employment.csv",
    "empleo promedio en construcción por año",
    timeline(jobs.groupby("yr")["construction"].mean(), "construction"),
)
last_12 = jobs[jobs.ym > (pd.Period(jobs.ym.max()) - 12).strftime("%Y-%m")]
case(
    "vx-es-13",
    "us-employment.csv",
    "empleo del gobierno en los últimos 12 meses",
    timeline_of(last_12.set_index("ym")["government"], "government"),
)
case(
    "vx-es-14",
    "sp500.csv",
    "precio del S&P 500 en 2008",
    timeline_of(sp[sp.yr == "2008"].set_index("ym")["price"], "price"),
)
case("vx-es-15", "birdstrikes.csv", "cantidad de impactos por fase de vuelo", bars(strikes_by_phase, "count"))
case(
    "vx-es-16",
    "birdstrikes.csv",
    "costo total por aerolínea, top 5",
    bars(top(birds.groupby("Aircraft Airline Operator")["Cost Total $"].sum(), 5), "Cost Total $", ordered=True),
)
case(
    "vx-es-17",
    "birdstrikes.csv",
    ["cantidad de impactos por fase de vuelo", "ordénalo de mayor a menor"],
    v2(bars(strikes_by_phase.sort_values(ascending=False, kind="stable"), "count", ordered=True)),
)
case("vx-es-18", "la-riots.csv", "número de muertes por género", bars(riots.groupby("gender").size(), "count"))
case("vx-es-19", "la-riots.csv", "edad promedio por raza", bars(riots.groupby("race")["age"].mean(), "age"))

# ----------------------------------------------------------------- Portuguese
case("vx-pt-01", "weather.csv", "temperatura mínima média por ano em cada cidade", split(tmin_by_year))
case("vx-pt-02", "weather.csv", ["temperatura mínima média por ano em cada cidade", "baixar em csv"], download("csv"))
case("vx-pt-03", "weather.csv", "temperatura média por ano em Seattle", clarify("temp_max", "temp_min"))
case(
    "vx-pt-04",
    "gapminder.json",
    "fecundidade média por ano no Brasil",
    timeline(gap[gap.country == "Brazil"].set_index("year")["fertility"], "fertility"),
)
case(
    "vx-pt-05",
    "gapminder.json",
    "os 5 países com menor expectativa de vida em 2005",
    bars(top(gap[gap.year == 2005].set_index("country")["life_expect"], 5, ascending=True), "life_expect", ordered=True),
)
case(
    "vx-pt-06",
    "movies.json",
    "nota média do IMDB por classificação MPAA",
    bars(movies.groupby("MPAA Rating")["IMDB Rating"].mean(), "IMDB Rating"),
)
case(
    "vx-pt-07",
    "movies.json",
    "orçamento de produção vs bilheteria nos EUA",
    scatter(movies, "Production Budget", "US Gross"),
)
case(
    "vx-pt-08",
    "disasters.csv",
    "mortes por terremoto entre 1990 e 2010",
    timeline(quakes.loc[1990:2010], "Deaths"),
)
case(
    "vx-pt-09",
    "iowa-electricity.csv",
    "participação de cada fonte na geração total",
    bars(iowa.groupby("source")["net_generation"].sum(), "net_generation", type="pie"),
)
case(
    "vx-pt-10",
    "us-employment.csv",
    ["média anual de empregos não agrícolas", "só de 2010 em diante"],
    v2(timeline(nonfarm_by_year.loc["2010":], "nonfarm")),
)
case(
    "vx-pt-11",
    "us-employment.csv",
    "média anual de manufacturing",
    timeline(jobs.groupby("yr")["manufacturing"].mean(), "manufacturing"),
)
case(
    "vx-pt-12",
    "sp500.csv",
    "preço médio anual entre 2003 e 2007",
    timeline(sp[sp.yr.between("2003", "2007")].groupby("yr")["price"].mean(), "price"),
)
case(
    "vx-pt-13",
    "sp500.csv",
    ["preço do S&P 500 ao longo do tempo", "agora por ano"],
    v2(timeline(sp.groupby("yr")["price"].mean(), "price")),
)
case(
    "vx-pt-14",
    "birdstrikes.csv",
    "número de colisões por período do dia",
    bars(birds.groupby("Time of day").size(), "count"),
)
case(
    "vx-pt-15",
    "birdstrikes.csv",
    "velocidade média por tamanho do animal",
    bars(birds.groupby("Wildlife Size")["Speed IAS in knots"].mean(), "Speed IAS in knots"),
)
case(
    "vx-pt-16",
    "la-riots.csv",
    "idade média por tipo de morte",
    bars(riots.groupby("type")["age"].mean(), "age"),
)
case(
    "vx-pt-17",
    "la-riots.csv",
    ["número de mortes por raça", "em gráfico de pizza"],
    v2(bars(deaths_by_race, "count"), type="pie"),
)
case(
    "vx-pt-18",
    "la-riots.csv",
    "histograma das idades com intervalos de 20 anos",
    hist(riots["age"], 20, "count"),
)

case(
    "vx-pt-19",
    "gapminder.json",
    "países com expectativa de vida acima de 80 em 2005",
    bars(gap[(gap.year == 2005) & (gap.life_expect > 80)].set_index("country")["life_expect"].sort_index(), "life_expect"),
)

SET.write(__file__)
