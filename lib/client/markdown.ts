/**
 * Chat replies as Markdown (CommonMark with GFM tables and strikethrough),
 * rendered by micromark with raw HTML shown as text, images left out (a reply
 * loads nothing) and links to unsafe protocols emptied. Shared by the server
 * render and the chat island.
 */
import { micromark, type Options } from "micromark";
import { gfmTable, gfmTableHtml } from "micromark-extension-gfm-table";
import {
  gfmStrikethrough,
  gfmStrikethroughHtml,
} from "micromark-extension-gfm-strikethrough";

const OPTIONS: Options = {
  allowDangerousHtml: false,
  allowDangerousProtocol: false,
  extensions: [
    gfmTable(),
    gfmStrikethrough({ singleTilde: false }),
    { disable: { null: ["labelStartImage"] } },
  ],
  htmlExtensions: [gfmTableHtml(), gfmStrikethroughHtml()],
};

/** Returns the HTML of a Markdown text; any HTML in the text is escaped, never interpreted. */
export function renderMarkdown(text: string): string {
  // Links open beside the chat and tell the other site nothing.
  return micromark(text, OPTIONS).replaceAll(
    "<a href=",
    '<a target="_blank" rel="noopener noreferrer nofollow" href=',
  );
}
