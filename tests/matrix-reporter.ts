// Collects the figures issue #10 asks `cargo xtask test` to print: how many failure-matrix
// scenarios (tests tagged @matrix) ran and passed, and what they measured — destructive requests
// sent more often than the user asked, typed reasons lost, script executions from hostile input,
// axe violations — and the attacks a hostile page tried and how many were refused (issue #20). Tests record figures with `recordMatrix` (fixtures.ts); this writes them to
// test-results/matrix.json for xtask, which prints the table and fails on any non-zero figure.
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Figures {
  scenarios_tried: number;
  scenarios_passed: number;
  destructive_sent_twice: number;
  reasons_lost: number;
  script_executions: number;
  axe_violations: number;
  /** Attacks a hostile page made (hostile-page.spec.ts), and how many of them were refused. */
  attacks_tried: number;
  attacks_refused: number;
}

const FIELDS = ['destructive_sent_twice', 'reasons_lost', 'script_executions', 'axe_violations', 'attacks_tried', 'attacks_refused'] as const;

export default class MatrixReporter implements Reporter {
  private figures: Figures = {
    scenarios_tried: 0,
    scenarios_passed: 0,
    destructive_sent_twice: 0,
    reasons_lost: 0,
    script_executions: 0,
    axe_violations: 0,
    attacks_tried: 0,
    attacks_refused: 0,
  };

  onTestEnd(test: TestCase, result: TestResult): void {
    if (!test.tags.includes('@matrix')) return;
    this.figures.scenarios_tried += 1;
    if (result.status === 'passed') this.figures.scenarios_passed += 1;
    for (const annotation of result.annotations ?? test.annotations) {
      if (annotation.type !== 'matrix' || !annotation.description) continue;
      const recorded = JSON.parse(annotation.description) as Partial<Figures>;
      for (const field of FIELDS) this.figures[field] += recorded[field] ?? 0;
    }
  }

  onEnd(): void {
    const path = join(import.meta.dirname, 'test-results', 'matrix.json');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(this.figures, null, 2));
  }

  printsToStdio(): boolean {
    return false;
  }
}
