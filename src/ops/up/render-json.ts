// The plan for programs: one JSON object (it holds no token, only its placeholder).
import type { Plan } from './types.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
