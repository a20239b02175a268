import { z } from 'zod/v3';
import { budgetRowSchema } from './schemas';
import { isRecord, requireNonEmpty, LiteLLMTransport } from './transport';
import { LiteLLMBudget, LiteLLMBudgetRequest } from './types';

/** Budgets: `/budget/*`. */
export class LiteLLMBudgetsClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async createBudget(request: LiteLLMBudgetRequest): Promise<LiteLLMBudget> {
    const body = await this.transport.call({
      method: 'POST',
      route: '/budget/new',
      body: request,
    });
    return this.transport.parse(
      budgetRowSchema,
      body,
      'POST',
      '/budget/new',
    ) as LiteLLMBudget;
  }

  async getBudgets(budgetIds: string[]): Promise<LiteLLMBudget[]> {
    if (budgetIds.length === 0) return [];
    const body = await this.transport.call({
      method: 'POST',
      route: '/budget/info',
      body: { budgets: budgetIds },
      idempotent: true,
    });
    return this.transport.parse(
      z.array(budgetRowSchema),
      body,
      'POST',
      '/budget/info',
    ) as LiteLLMBudget[];
  }

  async updateBudget(
    budgetId: string,
    changes: Omit<LiteLLMBudgetRequest, 'budget_id'>,
  ): Promise<LiteLLMBudget> {
    requireNonEmpty(budgetId, 'budgetId');
    const body = await this.transport.call({
      method: 'POST',
      route: '/budget/update',
      body: { ...changes, budget_id: budgetId },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, budget_id: budgetId } as LiteLLMBudget;
  }

  async deleteBudget(budgetId: string): Promise<void> {
    requireNonEmpty(budgetId, 'budgetId');
    await this.transport.call({
      method: 'POST',
      route: '/budget/delete',
      body: { id: budgetId },
    });
  }

  async listBudgets(): Promise<LiteLLMBudget[]> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/budget/list',
    });
    return this.transport.parse(
      z.array(budgetRowSchema),
      body,
      'GET',
      '/budget/list',
    ) as LiteLLMBudget[];
  }
}
