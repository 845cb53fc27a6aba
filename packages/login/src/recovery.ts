/** One step of the 401 recovery sequence. */
export type UnauthorizedRecoveryStep = 'reload' | 'refresh_token' | 'external_refresh';

export interface RecoveryStepResult {
  readonly step: UnauthorizedRecoveryStep;
  /** The credentials changed: one retry of the failed request may succeed. */
  readonly authChanged: boolean;
}

/**
 * Call `next()` once per 401 on a bearer request. Managed ChatGPT auth: reload (another process may have
 * refreshed), then refresh from the authority, then done. External tokens: one external refresh.
 * API keys: nothing to do.
 */
export class UnauthorizedRecovery {
  readonly #steps: UnauthorizedRecoveryStep[];
  readonly #run: (step: UnauthorizedRecoveryStep) => Promise<boolean>;
  readonly mode: 'managed' | 'external' | 'none';

  constructor(
    mode: 'managed' | 'external' | 'none',
    run: (step: UnauthorizedRecoveryStep) => Promise<boolean>,
  ) {
    this.mode = mode;
    this.#steps =
      mode === 'managed' ? ['reload', 'refresh_token'] : mode === 'external' ? ['external_refresh'] : [];
    this.#run = run;
  }

  hasNext(): boolean {
    return this.#steps.length > 0;
  }

  /** The step `next()` would run. */
  peek(): UnauthorizedRecoveryStep | undefined {
    return this.#steps[0];
  }

  /** Runs the next step. Throws (e.g. RefreshTokenError) when the step fails; throws when no step is left. */
  async next(): Promise<RecoveryStepResult> {
    const step = this.#steps.shift();
    if (step === undefined) throw new Error('no unauthorized recovery step left');
    const authChanged = await this.#run(step);
    return { step, authChanged };
  }
}
