/**
 * The planner's multilingual vocabulary (English, Spanish, Portuguese). Every
 * word is stored folded: lower case, accents removed (NFD), so "média",
 * "MEDIA" and "media" are one word. Phrases are space-separated folded words.
 */
import type { ChartType } from "../charts/spec.ts";

export type Lang = "en" | "es" | "pt";
export type Agg = "avg" | "sum" | "count" | "min" | "max" | "median";
export type Bucket = "day" | "week" | "month" | "quarter" | "year";

/** Lower-cases and strips diacritics: "Evolução" → "evolucao". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** Splits folded text into word tokens (letters, digits and underscores). */
export function tokenize(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** Splits an identifier such as "postalCode" or "pm2_5_ugm3" into folded words. */
export function identifierWords(name: string): string[] {
  const spaced = name.replace(/([a-z])([A-Z])/g, "$1 $2");
  return (fold(spaced).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w !== "");
}

/** Letters and digits only: "Postal Code" and "postal_code" both give "postalcode". */
export function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Singular candidates of a (possibly plural) English, Spanish or Portuguese word. */
export function singulars(word: string): string[] {
  const out = new Set([word]);
  if (word.length > 3 && /\d/.test(word) === false) {
    if (word.endsWith("ies")) out.add(word.slice(0, -3) + "y");
    if (word.endsWith("oes") || word.endsWith("aes")) {
      out.add(word.slice(0, -3) + "ao");
    }
    if (word.endsWith("ais")) out.add(word.slice(0, -3) + "al");
    if (word.endsWith("eis")) out.add(word.slice(0, -3) + "el");
    if (word.endsWith("ns")) out.add(word.slice(0, -2) + "m");
    if (word.endsWith("es")) out.add(word.slice(0, -2));
    if (word.endsWith("s") && !word.endsWith("ss")) out.add(word.slice(0, -1));
  }
  return [...out];
}

const w = (s: string) => s.split(/\s+/).filter(Boolean);

/** Function words ignored when matching column names. */
export const STOPWORDS = new Set(w(`
  a an the of by for in on at to and or per with from as is are was be it its this that these
  those me my show plot chart charts graph graphs draw make give create display see get please can
  you i want would like what how which whats each all over into than then also just let us we
  data dataset table values value shown showing versus vs there here
  de del la el los las en por y o para con un una unos unas al que cual cuales es son como mi me
  muestra muestrame mostrar grafica grafico graficos graficas dibuja dibujar haz hazlo crea crear
  dame ver quiero se lo su sus este esta estos estas entre sobre datos tabla favor ahora
  do da dos das em no na nas ao aos ou um uma umas qual quais sao meu minha mostre mostra
  desenhe desenha faca faz fazer crie criar ver quero seu sua dados tabela agora isso isto
  diagrama diagram visualize visualiza visualizar
  turn convert transform put same again version thanks thank ok okay
  breakdown distribution split comparison compare overview summary across
  desglose distribucion comparacion compara resumen distribuicao comparacao compare resumo
  have need tengo necesito preciso send manda mandame envia envie
  conviertelo convierte transforma pon ponlo cambialo mismo misma otra vez gracias
  transforme transformar coloque deixe mesmo mesma outra obrigado obrigada
`));

/** Words that name a chart without choosing its type. */
export const CHART_NOUNS = new Set(w(`
  chart charts graph graphs plot plots diagram grafica graficas grafico graficos diagrama
  visualization visualizacion visualizacao
`));

export const CHART_TYPE_WORDS: Record<ChartType, string[]> = {
  line: w("line lines linea lineas linha linhas"),
  bar: w(
    "bar bars barra barras column columns columna columnas coluna colunas",
  ),
  area: w("area areas"),
  pie: w(
    `pie pies donut doughnut pastel pasteles torta tortas tarta pizza pizzas rosca circular sectores
    setores share shares proportion proportions proporcion proporciones proporcao proporcoes
    participacion participacao porcentaje percentual composition composicion composicao`,
  ),
  scatter: w(
    `scatter scatterplot scatterplots dispersion dispersao correlation correlacion correlacao
    relationship relation relacion relacao`,
  ),
  // Not planned by this planner yet (a histogram needs binning).
  histogram: [],
  donut: [],
  heatmap: [],
};

/** Words that put two measures against each other (a scatter plot). */
export const VERSUS = new Set(w("vs versus against contra x"));

export const AGG_WORDS: Record<Agg, string[]> = {
  avg: w(
    "average averages avg mean means promedio promedios media medias medio medios",
  ),
  sum: w(
    "sum sums total totals suma sumas soma somas totales totais sumatoria somatorio",
  ),
  count: w(
    `count counts cantidad quantidade numero conteo contagem recuento frequency
    frecuencia frequencia cuantos cuantas quantos quantas`,
  ),
  min: w("min minimum minimo minima minimos minimas"),
  max: w("max maximum maximo maxima maximos maximas peak pico"),
  median: w("median medians mediana medianas"),
};

/** Multi-word phrases that mean an aggregation. */
export const AGG_PHRASES: [string[], Agg][] = [
  [w("number of"), "count"],
  [w("how many"), "count"],
  [w("numero de"), "count"],
];

export const BUCKET_WORDS: Record<Bucket, string[]> = {
  day: w(
    "daily day days date dates diario diaria diarios diarias dia dias fecha fechas diariamente",
  ),
  week: w(
    "weekly week weeks semanal semanales semana semanas semanais semanalmente",
  ),
  month: w(
    "monthly month months mensual mensuales mes meses mensal mensais mensalmente mensualmente",
  ),
  quarter: w(
    "quarterly quarter quarters trimestral trimestrales trimestre trimestres trimestrais",
  ),
  year: w(
    "yearly annual annually year years anual anuales anuais ano anos anio anios anualmente",
  ),
};

/** Phrases that ask for a time axis without naming its grain. */
export const TIME_PHRASES: string[][] = [
  "over time",
  "through time",
  "across time",
  "evolution",
  "evolucion",
  "evolucao",
  "trend",
  "trends",
  "tendencia",
  "tendencias",
  "historico",
  "history",
  "historical",
  "historia",
  "timeline",
  "time series",
  "serie temporal",
  "a lo largo del tiempo",
  "ao longo do tempo",
  "en el tiempo",
  "no tempo",
  "con el tiempo",
  "com o tempo",
  "over the years",
  "over the months",
].map(w);

/** "last", "past", "últimos"… before a count and a unit: a relative window. */
export const WINDOW_WORDS = new Set(w(`
  last past previous recent latest ultimo ultimos ultima ultimas pasado pasados pasada pasadas
  passado passados passada passadas recientes recentes
`));

/** "this year", "este año", "este ano": the last calendar period present. */
export const THIS_WORDS = new Set(
  w("this current este esta neste nesta actual atual corriente"),
);

export const NUMBER_WORDS: Record<string, number> = Object.fromEntries([
  ...w("two three four five six seven eight nine ten eleven twelve").map((
    x,
    i,
  ) => [x, i + 2]),
  ...w("dos tres cuatro cinco seis siete ocho nueve diez once doce").map((
    x,
    i,
  ) => [x, i + 2]),
  ...w("dois tres quatro cinco seis sete oito nove dez onze doze").map((
    x,
    i,
  ) => [x, i + 2]),
  ["duas", 2],
]);

/** Words before a number that make it a top-N request ("top 5", "los 3 … con más"). */
export const TOP_WORDS = new Set(w(`
  top first best largest biggest highest most greatest
  primeros primeras mejores mayores mas principales
  primeiros primeiras melhores maiores mais
`));
export const BOTTOM_WORDS = new Set(w(`
  bottom worst smallest lowest least fewest
  peores menores menos
  piores
`));

export const SORT_DESC_PHRASES: string[][] = [
  "descending",
  "desc",
  "decreasing",
  "descendente",
  "descendiente",
  "decreciente",
  "decrescente",
  "highest first",
  "largest first",
  "biggest first",
  "de mayor a menor",
  "mayor a menor",
  "do maior para o menor",
  "maior para menor",
  "do maior ao menor",
  "maior ao menor",
].map(w);

export const SORT_ASC_PHRASES: string[][] = [
  "ascending",
  "asc",
  "increasing",
  "ascendente",
  "creciente",
  "crescente",
  "lowest first",
  "smallest first",
  "de menor a mayor",
  "menor a mayor",
  "do menor para o maior",
  "menor para maior",
  "do menor ao maior",
  "menor ao maior",
].map(w);

export const SORT_WORDS = new Set(w(`
  sort sorted order ordered ordering rank ranked ranking ordenado ordenada ordenados ordenadas
  ordenar ordena orden ordem classificado clasificado
`));

export const ALPHA_WORDS = new Set(
  w("alphabetical alphabetically alfabetico alfabetica alfabeticamente"),
);

/** Words before a value that exclude it ("except Lagos", "sin INVEX"). */
export const NEGATION_WORDS = new Set(
  w("except excluding exclude without not sin excepto salvo sem exceto excluindo excluyendo"),
);

/** Words that say a measure replaces the current one ("pm10 instead"). */
export const INSTEAD_WORDS = new Set(
  w("instead ahora agora now switch change cambia cambiar muda mudar troca trocar replace use usa usar"),
);

export const STACKED_WORDS = new Set(
  w("stacked stack apilado apilada apiladas apilados empilhado empilhada empilhadas empilhados"),
);
export const HORIZONTAL_WORDS = new Set(
  w("horizontal horizontales horizontais sideways"),
);

export const EXPORT_WORDS = new Set(w(`
  export exported download downloads save descargar descarga descargalo descargala
  exportar exporta exportalo exportala guardar guarda guardalo baixar baixe baixa salvar salve
  salva exporte
`));

/** Format words → export format id. */
export const FORMAT_WORDS: Record<string, string> = {
  png: "png",
  image: "png",
  imagen: "png",
  imagem: "png",
  picture: "png",
  foto: "png",
  svg: "svg",
  vector: "svg",
  vectorial: "svg",
  csv: "csv",
  excel: "xlsx",
  xlsx: "xlsx",
  xls: "xlsx",
  spreadsheet: "xlsx",
  planilha: "xlsx",
  json: "json",
  xml: "xml",
  html: "html",
  webpage: "html",
  pdf: "pdf",
  notebook: "ipynb",
  jupyter: "ipynb",
  ipynb: "ipynb",
  cuaderno: "ipynb",
  caderno: "ipynb",
  python: "py",
  py: "py",
  script: "py",
  zip: "zip",
};

export const FORMAT_PHRASES: [string[], string][] = [
  [w("hoja de calculo"), "xlsx"],
  [w("web page"), "html"],
  [w("pagina web"), "html"],
];

export const ALL_FORMATS = [
  "png",
  "svg",
  "csv",
  "xlsx",
  "json",
  "xml",
  "html",
  "pdf",
  "ipynb",
  "py",
  "zip",
];

function monthTable(): Record<string, number> {
  const out: Record<string, number> = {};
  const lists = [
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
  ];
  for (const list of lists) w(list).forEach((m, i) => out[m] = i + 1);
  out.sept = 9;
  out.setiembre = 9;
  return out;
}

/** Month names (folded) → month number; used only next to a year ("March 2025"). */
export const MONTH_NAMES: Record<string, number> = monthTable();

/** Words that open a year range: "since 2023", "desde 2023", "a partir de 2023". */
export const SINCE_WORDS = new Set(w("since from after desde partir"));
export const UNTIL_WORDS = new Set(
  w("until till through to before hasta ate antes"),
);

/** Concept groups: words in one group name the same thing across languages. */
const CONCEPTS: string[][] = [
  "spend spending spent expense expenses expenditure gasto gastos gasta despesa despesas",
  "customer customers client clients cliente clientes consumidor consumidores",
  `sale sales venta ventas venda vendas revenue revenues income ingreso ingresos receita receitas
    faturamento facturacion turnover`,
  "unit units unidad unidades unidade",
  "price prices precio precios preco precos",
  "cost costs costo costos coste costes custo custos",
  "profit profits beneficio beneficios ganancia ganancias lucro lucros",
  "city cities ciudad ciudades cidade cidades town",
  "region regions regiones regiao regioes",
  "state states estado estados province provincia",
  "bank banks banco bancos",
  "product products producto productos produto produtos item items",
  "category categories categoria categorias",
  "code codes codigo codigos",
  "postal postales postais zip",
  "date dates fecha fechas",
  "month months mes meses",
  "year years ano anos anio",
  "day days dia dias",
  "week weeks semana semanas",
  "name names nombre nombres nome nomes",
  "age ages edad edades idade idades",
  "temperature temperatura temp",
  "store stores tienda tiendas loja lojas shop",
  "employee employees empleado empleados funcionario funcionarios",
  "order orders pedido pedidos",
  "quantity quantities qty cantidad cantidades quantidade quantidades",
  "max maximum maximo maxima",
  "min minimum minimo minima",
  "avg average mean promedio media",
  "station stations estacion estaciones estacao estacoes",
  "department departments departamento departamentos dept",
  "country countries pais paises",
  "amount amounts monto montos importe importes montante valor",
  "weight peso",
  "height altura",
  "type tipo",
  "brand marca",
  "user users usuario usuarios",
  "signup registro cadastro alta",
  "salary salario salarios wage",
  "score puntuacion pontuacao nota",
  "rate tasa taxa ratio",
  "population poblacion populacao",
  "rain rainfall lluvia chuva precipitation precipitacion precipitacao",
  "speed velocidad velocidade",
  "distance distancia",
  "duration duracion duracao",
  "gender genero sexo sex",
].map(w);

const CONCEPT_OF = new Map<string, number>();
CONCEPTS.forEach((group, i) => {
  for (const word of group) if (!CONCEPT_OF.has(word)) CONCEPT_OF.set(word, i);
});

/** The concept group ids of a word (checked on its singular forms too). */
export function conceptsOf(word: string): Set<number> {
  const out = new Set<number>();
  for (const s of singulars(word)) {
    const c = CONCEPT_OF.get(s);
    if (c !== undefined) out.add(c);
  }
  return out;
}

/** Words of a column name that say little on their own ("customer_id" is about customers). */
export const GENERIC_COLUMN_WORDS = new Set(
  w("id code name key nr no num number value val cod"),
);

/** Measures that add up: with no aggregation word they are summed, others averaged. */
export const ADDITIVE_WORDS = new Set(w(`
  revenue revenues sales sale units unit spend spending amount amounts cost costs quantity qty
  profit income expense expenses total volume orders count visits clicks downloads views
  ventas venta ingresos gasto gastos unidades monto importe cantidad ganancia
  vendas receita despesa despesas lucro quantidade valor
`));

/** Name parts that make an integer column a category, not a measure. */
export const CATEGORICAL_NUMBER_WORDS = new Set(w(`
  id code codigo zip postal cep cp year ano anio phone telefono telefone
`));

/** Per-language words that betray the language of a request. */
export const LANG_HINTS: Record<Lang, Set<string>> = {
  en: new Set(
    w(`the of by for in chart show average total per over make it as and with last top
    monthly yearly daily weekly quarterly sum count number how many which what sorted only`),
  ),
  es: new Set(
    w(`de el la los las del por en y con grafica grafico promedio ultimos ultimas cual
    solo hazlo descargar barras pastel tarta mensual mensuales anual anuales trimestral
    trimestrales semanal semanales diario ciudad ciudades banco bancos region regiones evolucion
    cuantos cuantas mas codigos postales gasto gastos clientes maximo minimo sin desde hasta dame
    muestra muestrame cada ingresos ventas precio precios ganancia cantidad suma fecha que lineas
    dispersion circular mayor menor durante dibuja crea`),
  ),
  pt: new Set(
    w(`de do da dos das em no na nos nas e com grafico media mes regiao evolucao
    quantidade ordem decrescente crescente ultimos mensal mensais anuais trimestrais semanais
    baixar exportar cidade cidades banco bancos linha linhas dispersao clientes maximo minimo sem
    ate mais por receita receitas vendas preco lucro soma qual quais mostre mostra pizza
    diario diaria maior menor durante desenhe crie`),
  ),
};

/** "only 2025", "solo Lagos": a filter that replaces the current one. */
export const ONLY_WORDS = new Set(
  w("only just solo solamente unicamente so somente apenas"),
);

/** "also Accra", "add Lagos": a filter value added to the current ones. */
export const ADD_WORDS = new Set(
  w("also add too include including plus tambien anade agrega incluye tambem adiciona inclua inclui"),
);

/** Words before a column that make it the grouping ("by city", "por banco"). */
export const BY_WORDS = new Set(w("by per por each cada across"));

/** Articles before a number in "the 3 …", "los 3 …", "os 3 …". */
export const ARTICLES = new Set(w("the los las os as el la o a"));

const MEASURE_CONCEPTS = new Set(
  w(`spend sale price cost profit amount weight height salary score rate population rain speed
    distance duration temperature age quantity unit`).flatMap((
    x,
  ) => [...conceptsOf(x)]),
);

/** Words that name a quantity to aggregate (revenue, precio, lucro…), not things to count. */
export function looksLikeMeasure(word: string): boolean {
  return singulars(word).some((s) => ADDITIVE_WORDS.has(s)) ||
    [...conceptsOf(word)].some((c) => MEASURE_CONCEPTS.has(c));
}
