import { type SearchAttributeTypeName } from './dev-server';

/**
 * The custom search attributes the wxamp-link workflows upsert (see DESIGN, "Search
 * attributes"): the local dev server and the tests register exactly these. The workflows
 * define the same names for themselves in `workflows/contract.ts`; both are public names, so
 * they only ever grow.
 */
export const WXAMP_SEARCH_ATTRIBUTES = {
  WxOfficialAccountAppId: 'Keyword',
  WxMiniProgramAppId: 'Keyword',
  WxLinkStatus: 'Keyword',
  WxCampaignId: 'Keyword',
} as const satisfies Record<string, SearchAttributeTypeName>;
