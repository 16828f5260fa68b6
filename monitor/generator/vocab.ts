/**
 * Fixed vocabularies of the synthetic traffic: channels, locales, intents
 * and short texts per intent and language. Everything is precomputed once
 * so that generating an event only picks from arrays.
 */
import { Random } from './random.js';

export const CHANNELS = ['chat', 'voice', 'email', 'sms', 'whatsapp', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_WEIGHTS = [35, 20, 10, 8, 17, 10];

export const ENTRY_POINTS: Record<Channel, readonly string[]> = {
  chat: ['web_widget', 'web_widget', 'mobile_app'],
  voice: ['phone_ivr', 'phone_ivr', 'in_app_voice'],
  email: ['email_inbox'],
  sms: ['sms_shortcode'],
  whatsapp: ['whatsapp_business'],
  social: ['social_dm'],
};

/** Channels where a bot may answer first and hand over to an agent. */
export const BOT_CHANNELS: ReadonlySet<Channel> = new Set(['chat', 'sms', 'whatsapp', 'social']);

/** Seconds a turn takes, per channel (email turns wait for the customer's reply). */
export const SECONDS_PER_TURN: Record<Channel, number> = {
  chat: 25,
  voice: 40,
  email: 3600,
  sms: 90,
  whatsapp: 60,
  social: 120,
};

export const TURNS: Record<Channel, readonly [number, number]> = {
  chat: [3, 10],
  voice: [4, 14],
  email: [2, 4],
  sms: [2, 8],
  whatsapp: [3, 10],
  social: [2, 6],
};

export const TIERS = ['free', 'standard', 'premium', 'enterprise'] as const;
export const TIER_WEIGHTS = [45, 35, 15, 5];

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Locale {
  tag: string;
  language: Language;
  currency: string;
}

export const LOCALES: readonly Locale[] = [
  { tag: 'en-US', language: 'en', currency: 'USD' },
  { tag: 'en-GB', language: 'en', currency: 'GBP' },
  { tag: 'es-ES', language: 'es', currency: 'EUR' },
  { tag: 'es-MX', language: 'es', currency: 'MXN' },
  { tag: 'fr-FR', language: 'fr', currency: 'EUR' },
  { tag: 'de-DE', language: 'de', currency: 'EUR' },
  { tag: 'pt-BR', language: 'pt-BR', currency: 'BRL' },
];
export const LOCALE_WEIGHTS = [40, 12, 8, 10, 10, 10, 10];

export const INTENTS = [
  'billing_question',
  'refund_request',
  'delivery_status',
  'cancel_subscription',
  'technical_issue',
  'account_access',
  'upgrade_plan',
  'general_inquiry',
] as const;
export type Intent = (typeof INTENTS)[number];
export const INTENT_WEIGHTS = [18, 12, 20, 8, 14, 10, 6, 12];

export interface IntentProfile {
  queue: string;
  /** Mean customer sentiment for this intent. */
  sentiment: number;
  dispositions: { resolved: string; unresolved: string };
  /** What a resolved conversation about this intent may lead to, and how often (control arm). */
  conversion?: { type: string; rate: number; value: readonly [number, number] };
}

export const INTENT_PROFILES: Record<Intent, IntentProfile> = {
  billing_question: {
    queue: 'billing',
    sentiment: -0.2,
    dispositions: { resolved: 'billing_explained', unresolved: 'billing_followup' },
    conversion: { type: 'renewal', rate: 0.1, value: [60, 240] },
  },
  refund_request: {
    queue: 'billing',
    sentiment: -0.4,
    dispositions: { resolved: 'refund_issued', unresolved: 'refund_declined' },
  },
  delivery_status: {
    queue: 'logistics',
    sentiment: -0.1,
    dispositions: { resolved: 'tracking_shared', unresolved: 'carrier_claim_opened' },
    conversion: { type: 'purchase', rate: 0.05, value: [15, 300] },
  },
  cancel_subscription: {
    queue: 'retention',
    sentiment: -0.5,
    dispositions: { resolved: 'retention_offer_accepted', unresolved: 'subscription_cancelled' },
    conversion: { type: 'reactivation', rate: 0.15, value: [10, 50] },
  },
  technical_issue: {
    queue: 'tech_support',
    sentiment: -0.3,
    dispositions: { resolved: 'issue_fixed', unresolved: 'ticket_opened' },
  },
  account_access: {
    queue: 'tech_support',
    sentiment: -0.3,
    dispositions: { resolved: 'access_restored', unresolved: 'identity_check_pending' },
  },
  upgrade_plan: {
    queue: 'sales',
    sentiment: 0.4,
    dispositions: { resolved: 'plan_upgraded', unresolved: 'quote_sent' },
    conversion: { type: 'upgrade', rate: 0.35, value: [10, 120] },
  },
  general_inquiry: {
    queue: 'general',
    sentiment: 0.1,
    dispositions: { resolved: 'information_given', unresolved: 'callback_scheduled' },
    conversion: { type: 'signup', rate: 0.08, value: [0, 0] },
  },
};

type PerLanguage<T> = Record<Language, T>;

/** What customers open a conversation with, per intent and language. */
export const OPENINGS: Record<Intent, PerLanguage<readonly string[]>> = {
  billing_question: {
    en: [
      'Why was I charged twice this month?',
      'Can you explain the extra fee on my last invoice?',
      'My bill is higher than usual, what happened?',
    ],
    es: ['¿Por qué me cobraron dos veces este mes?', 'No entiendo el cargo extra en mi última factura.'],
    fr: [
      'Pourquoi ai-je été débité deux fois ce mois-ci ?',
      'Je ne comprends pas les frais supplémentaires sur ma facture.',
    ],
    de: [
      'Warum wurde mir diesen Monat zweimal abgebucht?',
      'Was ist diese zusätzliche Gebühr auf meiner Rechnung?',
    ],
    'pt-BR': ['Por que fui cobrado duas vezes este mês?', 'Não entendi a taxa extra na minha última fatura.'],
  },
  refund_request: {
    en: [
      "I'd like a refund for my last order.",
      'The item arrived broken, can I get my money back?',
      'Please refund the subscription I cancelled.',
    ],
    es: [
      'Quiero un reembolso de mi último pedido.',
      'El producto llegó roto, ¿me pueden devolver el dinero?',
    ],
    fr: [
      'Je voudrais être remboursé pour ma dernière commande.',
      "L'article est arrivé cassé, puis-je être remboursé ?",
    ],
    de: [
      'Ich möchte eine Rückerstattung für meine letzte Bestellung.',
      'Der Artikel kam kaputt an, bekomme ich mein Geld zurück?',
    ],
    'pt-BR': [
      'Quero o reembolso do meu último pedido.',
      'O produto chegou quebrado, posso receber meu dinheiro de volta?',
    ],
  },
  delivery_status: {
    en: [
      'Where is my package? It was due yesterday.',
      'Can you tell me when my order will arrive?',
      "Tracking hasn't updated in three days.",
    ],
    es: ['¿Dónde está mi paquete? Debía llegar ayer.', '¿Cuándo llega mi pedido?'],
    fr: ['Où est mon colis ? Il devait arriver hier.', 'Quand ma commande sera-t-elle livrée ?'],
    de: ['Wo ist mein Paket? Es sollte gestern ankommen.', 'Wann kommt meine Bestellung an?'],
    'pt-BR': ['Cadê meu pacote? Era para chegar ontem.', 'Quando meu pedido vai chegar?'],
  },
  cancel_subscription: {
    en: [
      'I want to cancel my subscription.',
      'How do I stop the automatic renewal?',
      'Please close my account and stop billing me.',
    ],
    es: ['Quiero cancelar mi suscripción.', '¿Cómo desactivo la renovación automática?'],
    fr: ['Je veux résilier mon abonnement.', 'Comment désactiver le renouvellement automatique ?'],
    de: ['Ich möchte mein Abo kündigen.', 'Wie stoppe ich die automatische Verlängerung?'],
    'pt-BR': ['Quero cancelar minha assinatura.', 'Como desativo a renovação automática?'],
  },
  technical_issue: {
    en: [
      'The app keeps crashing when I open it.',
      "I can't upload files, it just spins forever.",
      'Your website shows an error at checkout.',
    ],
    es: ['La aplicación se cierra cada vez que la abro.', 'Me sale un error al pagar en la web.'],
    fr: ["L'application plante dès que je l'ouvre.", 'Le site affiche une erreur au moment du paiement.'],
    de: ['Die App stürzt beim Öffnen ständig ab.', 'Beim Bezahlen zeigt die Website einen Fehler.'],
    'pt-BR': ['O aplicativo fecha sozinho quando eu abro.', 'O site dá erro na hora de pagar.'],
  },
  account_access: {
    en: [
      "I can't log in to my account.",
      'The password reset link has expired.',
      "I'm locked out after too many attempts.",
    ],
    es: ['No puedo entrar a mi cuenta.', 'El enlace para cambiar la contraseña ya caducó.'],
    fr: [
      "Je n'arrive pas à me connecter à mon compte.",
      'Le lien de réinitialisation du mot de passe a expiré.',
    ],
    de: [
      'Ich kann mich nicht in mein Konto einloggen.',
      'Der Link zum Zurücksetzen des Passworts ist abgelaufen.',
    ],
    'pt-BR': ['Não consigo entrar na minha conta.', 'O link para redefinir a senha expirou.'],
  },
  upgrade_plan: {
    en: [
      'What do I get if I upgrade to premium?',
      "I'd like to switch to the annual plan.",
      'Can I add more seats to my plan?',
    ],
    es: ['¿Qué incluye el plan premium?', 'Quiero pasarme al plan anual.'],
    fr: ["Qu'est-ce que j'obtiens avec l'offre premium ?", "Je voudrais passer à l'abonnement annuel."],
    de: ['Was bekomme ich mit dem Premium-Tarif?', 'Ich möchte auf den Jahrestarif wechseln.'],
    'pt-BR': ['O que vem no plano premium?', 'Quero mudar para o plano anual.'],
  },
  general_inquiry: {
    en: ['What are your opening hours?', 'Do you ship to Canada?', 'Is there a student discount?'],
    es: ['¿Cuál es su horario de atención?', '¿Hacen envíos a Canadá?'],
    fr: ["Quels sont vos horaires d'ouverture ?", 'Livrez-vous au Canada ?'],
    de: ['Wie sind Ihre Öffnungszeiten?', 'Liefern Sie auch nach Kanada?'],
    'pt-BR': ['Qual é o horário de atendimento?', 'Vocês entregam no Canadá?'],
  },
};

/** Later customer turns, by tone, so the text agrees with the sentiment score it gets. */
export const FOLLOW_UPS: PerLanguage<{ positive: readonly string[]; negative: readonly string[] }> = {
  en: {
    positive: ['Ok, thanks.', "Yes, that's the one.", 'Great, that helps a lot!'],
    negative: ["It's still not working.", 'How long will that take?', 'Can you check again please?'],
  },
  es: {
    positive: ['Vale, gracias.', 'Sí, es ese.', '¡Perfecto, muchas gracias!'],
    negative: ['Sigue sin funcionar.', '¿Cuánto tiempo tardará?'],
  },
  fr: {
    positive: ["D'accord, merci.", "Oui, c'est bien celui-là.", 'Parfait, merci beaucoup !'],
    negative: ['Ça ne marche toujours pas.', 'Combien de temps cela va prendre ?'],
  },
  de: {
    positive: ['Okay, danke.', 'Ja, genau das.', 'Super, vielen Dank!'],
    negative: ['Es funktioniert immer noch nicht.', 'Wie lange dauert das?'],
  },
  'pt-BR': {
    positive: ['Ok, obrigado.', 'Sim, é esse.', 'Ótimo, muito obrigado!'],
    negative: ['Continua sem funcionar.', 'Quanto tempo vai levar?'],
  },
};

export const AGENT_REPLIES: PerLanguage<readonly string[]> = {
  en: [
    'Thanks for reaching out, let me look into that for you.',
    "I've checked your account and fixed the issue.",
    'Could you confirm the order number, please?',
    "I've escalated this to our specialist team.",
    'Is there anything else I can help you with?',
  ],
  es: [
    'Gracias por escribirnos, lo reviso enseguida.',
    'He revisado su cuenta y ya está solucionado.',
    '¿Me confirma el número de pedido, por favor?',
    '¿Puedo ayudarle en algo más?',
  ],
  fr: [
    'Merci de nous avoir contactés, je regarde tout de suite.',
    "J'ai vérifié votre compte et corrigé le problème.",
    'Pouvez-vous me confirmer le numéro de commande ?',
    'Puis-je vous aider pour autre chose ?',
  ],
  de: [
    'Danke für Ihre Nachricht, ich sehe mir das gleich an.',
    'Ich habe Ihr Konto geprüft und das Problem behoben.',
    'Können Sie mir bitte die Bestellnummer bestätigen?',
    'Kann ich sonst noch etwas für Sie tun?',
  ],
  'pt-BR': [
    'Obrigado pelo contato, vou verificar isso para você.',
    'Verifiquei sua conta e resolvi o problema.',
    'Pode confirmar o número do pedido, por favor?',
    'Posso ajudar em mais alguma coisa?',
  ],
};

export interface BotLines {
  greeting: string;
  replies: readonly string[];
  handover: string;
}

export const BOT_LINES: PerLanguage<BotLines> = {
  en: {
    greeting: "Hi! I'm the virtual assistant. How can I help today?",
    replies: ['I found an article that might help.', 'Did that answer your question?'],
    handover: 'Let me connect you with an agent.',
  },
  es: {
    greeting: '¡Hola! Soy el asistente virtual. ¿En qué puedo ayudarle?',
    replies: ['Encontré un artículo que puede ayudarle.', '¿Eso responde a su pregunta?'],
    handover: 'Le paso con un agente.',
  },
  fr: {
    greeting: "Bonjour ! Je suis l'assistant virtuel. Comment puis-je vous aider ?",
    replies: ["J'ai trouvé un article qui pourrait vous aider.", 'Cela répond-il à votre question ?'],
    handover: 'Je vous mets en relation avec un conseiller.',
  },
  de: {
    greeting: 'Hallo! Ich bin der virtuelle Assistent. Wie kann ich helfen?',
    replies: ['Ich habe einen Artikel gefunden, der helfen könnte.', 'Hat das Ihre Frage beantwortet?'],
    handover: 'Ich verbinde Sie mit einem Mitarbeiter.',
  },
  'pt-BR': {
    greeting: 'Olá! Sou o assistente virtual. Como posso ajudar?',
    replies: ['Encontrei um artigo que pode ajudar.', 'Isso respondeu sua pergunta?'],
    handover: 'Vou transferir você para um atendente.',
  },
};

export const RESOLUTIONS = ['resolved', 'unresolved', 'abandoned', 'transferred'] as const;
export const RESOLUTION_WEIGHTS = [70, 12, 8, 10];

/** Purposes every user grants: the shipped contracts need them, so clean traffic raises no consent finding. */
export const BASE_PURPOSES = ['analytics', 'model_training', 'quality_assurance', 'recording'] as const;
export const CONSENT_VERSION = '2024-05';
export const CONSENT_SOURCES = ['banner', 'import', 'api'] as const;
export const CONSENT_SOURCE_WEIGHTS = [80, 10, 10];

export interface Experiment {
  id: string;
  unitType: 'user' | 'conversation';
  surface: string;
  arms: readonly [string, string];
}

/** Decides conversions; its treatment arm lifts the conversion rate. */
export const OFFER_EXPERIMENT: Experiment = {
  id: 'exp_proactive_offer',
  unitType: 'user',
  surface: 'greeting',
  arms: ['control', 'treatment'],
};
export const OFFER_LIFT = 1.2;

/** Shown on some bot-capable conversations; outcome-neutral. */
export const REPLY_EXPERIMENT: Experiment = {
  id: 'exp_suggested_replies',
  unitType: 'conversation',
  surface: 'suggested_reply',
  arms: ['control', 'treatment'],
};

export const INTENT_MODEL_VERSION = 'intent-xlmr-2024.06.1';
export const EMBEDDING_DIMENSIONS = 8;

/**
 * One embedding centroid per intent, from a fixed seed so the embedding
 * distribution is the same whatever seed the traffic uses.
 */
export const INTENT_CENTROIDS: Record<Intent, readonly number[]> = (() => {
  const rng = new Random(7919);
  const out = {} as Record<Intent, number[]>;
  for (const intent of INTENTS) {
    out[intent] = Array.from({ length: EMBEDDING_DIMENSIONS }, () => rng.next() * 2 - 1);
  }
  return out;
})();

/** Event types no contract describes, as a producer might start sending them. */
export const UNKNOWN_EVENT_TYPES = [
  'conversation.transferred',
  'survey.response',
  'agent.status_changed',
  'conversation.tagged',
];

/** Attributes a producer might start sending before the contract has them (no personal data). */
export const UNKNOWN_ATTRIBUTES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['utm_source', ['newsletter', 'google', 'partner_site']],
  ['device_os', ['ios', 'android', 'windows', 'macos']],
  ['agent_skill', ['billing_l2', 'tech_l1', 'retention']],
  ['sdk_version', ['3.2.0', '3.3.0-beta.1']],
  ['queue_priority', ['high', 'normal']],
];

export const BAD_CHANNELS = ['fax', 'telegram', 'web'];

export const PII_NAMES = ['jane.doe', 'm.rossi', 'carlos.ruiz', 'a.schmidt', 'lea.martin', 'joao.silva'];
export const PII_DOMAINS = ['example.com', 'mail.example.org', 'example.net'];
/** Card numbers that pass the Luhn check but are issuers' published test numbers. */
export const PII_CARDS = [
  '4111 1111 1111 1111',
  '5555 5555 5555 4444',
  '4012 8888 8888 1881',
  '3782 822463 10005',
];
