/** Failed API requests as the islands see them, so each can say why in the page's words. */
export { RequestError, requestError } from "@/lib/api/client.ts";
