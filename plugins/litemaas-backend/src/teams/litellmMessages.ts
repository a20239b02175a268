import {
  LiteLLMConflictError,
  LiteLLMError,
  LiteLLMNotFoundError,
} from '../litellm';

function messageOf(error: unknown): string {
  if (error instanceof LiteLLMError) return `${error.detail} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** LiteLLM refused to create a team that exists already. */
export function isAlreadyExists(error: unknown): boolean {
  return (
    error instanceof LiteLLMError && /already exists/i.test(messageOf(error))
  );
}

/** LiteLLM refused to add a member that is in the team already. */
export function isAlreadyInTeam(error: unknown): boolean {
  return (
    error instanceof LiteLLMError &&
    (error instanceof LiteLLMConflictError ||
      /already in team|already_in_team/i.test(messageOf(error)))
  );
}

/** LiteLLM refused to remove a member that is not in the team. */
export function isNotInTeam(error: unknown): boolean {
  return (
    error instanceof LiteLLMError &&
    (error instanceof LiteLLMNotFoundError ||
      /not found in team|not in team|does not exist/i.test(messageOf(error)))
  );
}
