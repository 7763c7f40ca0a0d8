/**
 * What a visitor of a share link that cannot be opened reads, in the page's
 * language (the visitor's Accept-Language: English, Spanish or Portuguese).
 */
import type { Lang } from "@/lib/agent/lang/types.ts";

/** Why a link shows no content. */
export type ShareProblemKind = "invalid" | "revoked" | "expired" | "gone";

const TEXTS: Record<
  Lang,
  Record<ShareProblemKind, { title: string; text: string }> & { home: string }
> = {
  en: {
    invalid: {
      title: "This link is not valid",
      text:
        "The link is incomplete or was altered. Ask the person who shared it for the link again.",
    },
    revoked: {
      title: "This link was turned off",
      text:
        "Its owner has stopped sharing it. Ask them for a new link if you still need it.",
    },
    expired: {
      title: "This link has expired",
      text:
        "It was shared for a limited time, which is over. Ask the person who shared it for a new link.",
    },
    gone: {
      title: "This chart is no longer available",
      text: "What the link showed has been deleted by its owner.",
    },
    home: "Go to Chartroom",
  },
  es: {
    invalid: {
      title: "Este enlace no es válido",
      text:
        "El enlace está incompleto o fue modificado. Pide de nuevo el enlace a quien lo compartió.",
    },
    revoked: {
      title: "Este enlace fue desactivado",
      text:
        "Su propietario dejó de compartirlo. Pídele un enlace nuevo si aún lo necesitas.",
    },
    expired: {
      title: "Este enlace ha caducado",
      text:
        "Se compartió por un tiempo limitado, que ya terminó. Pide un enlace nuevo a quien lo compartió.",
    },
    gone: {
      title: "Este gráfico ya no está disponible",
      text: "Su propietario eliminó lo que mostraba el enlace.",
    },
    home: "Ir a Chartroom",
  },
  pt: {
    invalid: {
      title: "Este link não é válido",
      text:
        "O link está incompleto ou foi alterado. Peça o link novamente a quem o compartilhou.",
    },
    revoked: {
      title: "Este link foi desativado",
      text:
        "O proprietário deixou de compartilhá-lo. Peça um novo link se ainda precisar dele.",
    },
    expired: {
      title: "Este link expirou",
      text:
        "Foi compartilhado por um tempo limitado, que já acabou. Peça um novo link a quem o compartilhou.",
    },
    gone: {
      title: "Este gráfico não está mais disponível",
      text: "O proprietário excluiu o que o link mostrava.",
    },
    home: "Ir para o Chartroom",
  },
};

/** Returns the title, text and home link label for a problem in a language. */
export function shareProblemText(kind: ShareProblemKind, lang: Lang) {
  return { ...TEXTS[lang][kind], home: TEXTS[lang].home };
}
