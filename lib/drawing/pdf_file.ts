/**
 * The PDF file format at its smallest (PDF 32000-1:2008 §7): numbered
 * objects written as text, streams deflated, a cross-reference table and a
 * trailer. pdf.ts assembles a chart's page with it.
 */
import { deflateSync } from "node:zlib";
import { concatBytes } from "@/lib/bytes.ts";

const latin1 = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
};

/** A PDF under construction: add objects, then take its bytes. */
export class PdfFile {
  #objects: (Uint8Array[] | undefined)[] = [];

  /** Returns a new object number, to be filled later with `set`. */
  reserve(): number {
    this.#objects.push(undefined);
    return this.#objects.length;
  }

  /** Adds an object (a dictionary, array… as PDF text); returns its number. */
  add(value: string): number {
    const id = this.reserve();
    this.set(id, value);
    return id;
  }

  /**
   * Adds a stream object: `dict` holds the entries besides Length and
   * Filter; the data is deflated unless `deflate` is false.
   */
  addStream(dict: string, data: Uint8Array, deflate = true): number {
    const id = this.reserve();
    this.setStream(id, dict, data, deflate);
    return id;
  }

  /** Fills a reserved object. */
  set(id: number, value: string): void {
    this.#objects[id - 1] = [latin1(`${id} 0 obj\n${value}\nendobj\n`)];
  }

  /** Fills a reserved object with a stream (see `addStream`). */
  setStream(id: number, dict: string, data: Uint8Array, deflate = true): void {
    const body = deflate ? deflateSync(data) : data;
    const filter = deflate ? "/Filter /FlateDecode " : "";
    this.#objects[id - 1] = [
      latin1(
        `${id} 0 obj\n<< ${dict} ${filter}/Length ${body.length} >>\nstream\n`,
      ),
      body,
      latin1("\nendstream\nendobj\n"),
    ];
  }

  /** Returns the whole file, with `root` as catalog and `info` as document info. */
  bytes(root: number, info: number, id: string): Uint8Array<ArrayBuffer> {
    // The binary comment tells tools the file holds 8-bit data.
    const parts: Uint8Array[] = [latin1("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
    let size = parts[0].length;
    const offsets: number[] = [];
    this.#objects.forEach((object, i) => {
      if (!object) throw new Error(`PDF object ${i + 1} was never set`);
      offsets.push(size);
      for (const part of object) {
        parts.push(part);
        size += part.length;
      }
    });
    const xref = [
      `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`,
      ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
      `trailer\n<< /Size ${offsets.length + 1} /Root ${ref(root)} /Info ${
        ref(info)
      } /ID [<${id}> <${id}>] >>\nstartxref\n${size}\n%%EOF\n`,
    ].join("");
    parts.push(latin1(xref));
    return concatBytes(parts, size + xref.length);
  }
}

/** An indirect reference to object `id`. */
export function ref(id: number): string {
  return `${id} 0 R`;
}

/** A number as PDF writes it: at most 3 decimals, no exponent. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** A PDF name: characters outside printable ASCII and delimiters as #xx. */
export function name(value: string): string {
  return "/" + value.replace(
    /[^\x21-\x7e]|[#()<>[\]{}/%]/g,
    (ch) => "#" + (ch.charCodeAt(0) & 0xff).toString(16).padStart(2, "0"),
  );
}

/** A text string (document info, language): UTF-16BE with a BOM, as hex. */
export function text(value: string): string {
  let hex = "<FEFF";
  for (let i = 0; i < value.length; i++) {
    hex += value.charCodeAt(i).toString(16).padStart(4, "0");
  }
  return `${hex}>`;
}
