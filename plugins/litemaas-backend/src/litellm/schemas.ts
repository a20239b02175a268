import { z } from 'zod/v3';

/*
 * Cheap structural checks of LiteLLM answers. Every object is `passthrough` (extra fields
 * are kept) and only the fields the client relies on are required.
 */

const obj = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape).passthrough();
const nullableString = z.string().nullish();
const anyRecord = z.record(z.unknown());

export const modelInfoListSchema = obj({
  data: z.array(obj({ model_name: z.string() })),
});

export const modelListSchema = obj({
  data: z.array(obj({ id: z.string() })),
});

export const generatedKeySchema = obj({
  key: z.string().startsWith('sk-'),
  token: nullableString,
  token_id: nullableString,
  key_name: nullableString,
});

/** `/key/info`: `{key, info}`, `{key: [..], info: [..]}` (v2) or a bare row. */
export const keyInfoEnvelopeSchema = z.union([
  obj({ info: z.union([anyRecord, z.array(anyRecord)]) }),
  anyRecord,
]);

export const keyRowSchema = obj({
  token: nullableString,
  key_name: nullableString,
});

export const keyListSchema = obj({
  keys: z.array(z.union([z.string(), keyRowSchema])),
  total_count: z.number().nullish(),
  current_page: z.number().nullish(),
  total_pages: z.number().nullish(),
});

export const userRowSchema = obj({ user_id: z.string() });

/** Lenient: an unknown user on old LiteLLM is `{user_id, user_info: {spend: 0}, keys: [], teams: []}`. */
export const userInfoSchema = obj({
  user_id: nullableString,
  user_info: anyRecord.nullish(),
  keys: z.array(anyRecord).nullish(),
  teams: z.array(anyRecord).nullish(),
});

export const userListSchema = obj({
  users: z.array(userRowSchema),
  total: z.number().nullish(),
  page: z.number().nullish(),
  page_size: z.number().nullish(),
  total_pages: z.number().nullish(),
});

export const teamRowSchema = obj({ team_id: z.string() });

export const teamInfoSchema = obj({
  team_id: z.string().nullish(),
  team_info: teamRowSchema,
  keys: z.array(anyRecord).nullish(),
  team_memberships: z.array(anyRecord).nullish(),
});

/** `/team/list` is an array; `/v2/team/list` wraps it in `{teams}`. */
export const teamListSchema = z.union([
  z.array(teamRowSchema),
  obj({ teams: z.array(teamRowSchema) }),
]);

export const budgetRowSchema = obj({ budget_id: z.string() });

export const dailyActivityPageSchema = obj({
  results: z.array(
    obj({
      date: z.string(),
      metrics: anyRecord.nullish(),
      breakdown: anyRecord.nullish(),
    }),
  ),
  metadata: anyRecord.nullish(),
});

export const spendLogsPageSchema = obj({
  data: z.array(anyRecord),
  total: z.number().nullish(),
  page: z.number().nullish(),
  page_size: z.number().nullish(),
  total_pages: z.number().nullish(),
});
