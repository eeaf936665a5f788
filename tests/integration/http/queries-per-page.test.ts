/**
 * No page issues a query per row (issue 13, item 2): each request's log line counts the database queries it issued
 * (app/server/request-log.ts). Every page and export of an RFP is opened on a small evaluation (3 vendors × 8 criteria
 * × 2 evaluators) and on one four times as wide in every direction (12 × 32 × 8), and the global lists before and after
 * the larger one exists: a page's count must not grow with the rows it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { newId } from "#db/ids";
import { recordAuditEvents } from "#db/queries/audit";
import { hashPassword } from "#db/password";
import {
  type CreatedEvaluation,
  createEvaluation,
  syntheticEvaluationSpec,
} from "#tests/support/evaluation-factory";
import {
  startTestServer,
  type TestServer,
  Visitor,
} from "#tests/support/server";

const SMALL = { vendors: 3, criteria: 8, evaluators: 2 };
const LARGE = { vendors: 12, criteria: 32, evaluators: 8 };

describe("queries per page", () => {
  let server: TestServer;
  let admin: Visitor;

  beforeAll(async () => {
    server = await startTestServer();
    admin = new Visitor(server.baseUrl);
    await admin.login("admin@city.example");
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  /**
   * The evaluation, plus what the factory leaves out and pages list: a question per criterion (but price), every
   * vendor's answer to each, and an audit entry per criterion and per answer, each naming what it is about.
   */
  async function create(
    size: typeof SMALL,
    seed: number
  ): Promise<CreatedEvaluation> {
    const handle = openDatabase(server.databaseUrl);
    try {
      const e = await createEvaluation(handle.db, {
        ...syntheticEvaluationSpec(size, seed),
        passwordHash: await hashPassword("demo-password"),
      });
      const now = new Date().toISOString();
      const lead = { id: e.lead.id, email: e.lead.email };
      const questions = e.criteria
        .filter((c) => c.kind !== "price")
        .map((c, i) => ({
          id: newId(),
          rfp_id: e.rfpId,
          criterion_id: c.id,
          key: `Q-${i + 1}`,
          text: `How does the system meet “${c.title}”?`,
          guidance: "Cite evidence.",
          strong_answer: null,
          answer_type: (i % 2 === 0 ? "text" : "yes_no") as "text" | "yes_no",
          options_json: "[]",
          required: 1,
          references_json: "[]",
          position: i,
          created_at: now,
        }));
      await handle.db.insertInto("question").values(questions).execute();
      const answers = e.vendors.flatMap((v) =>
        questions.map((q, i) => ({
          id: newId(),
          rfp_id: e.rfpId,
          submission_id: v.submissionId,
          question_id: q.id,
          value_json: JSON.stringify(
            i % 2 === 0 ? `${v.name} answers ${q.key}.` : "yes"
          ),
          source: "manual" as const,
          updated_by: e.lead.id,
          updated_at: now,
        }))
      );
      for (let i = 0; i < answers.length; i += 200)
        await handle.db
          .insertInto("answer")
          .values(answers.slice(i, i + 200))
          .execute();
      await recordAuditEvents(handle.db, lead, [
        ...e.criteria.map((c) => ({
          rfpId: e.rfpId,
          entity: "criterion",
          entityId: c.id,
          action: "criterion.update",
          before: { title: "Old title" },
          after: { title: c.title },
        })),
        ...answers.map((a) => ({
          rfpId: e.rfpId,
          entity: "answer",
          entityId: a.id,
          action: "answer.save",
          after: { submission_id: a.submission_id, question_id: a.question_id },
        })),
      ]);
      return e;
    } finally {
      await handle.close();
    }
  }

  /** The query count of one request, read from its log line (found by the X-Request-Id the server answered with). */
  async function queriesOf(visitor: Visitor, path: string): Promise<number> {
    const response = await visitor.get(path);
    expect(response.status, path).toBe(200);
    await response.arrayBuffer();
    const id = response.headers.get("x-request-id");
    for (let wait = 0; wait < 50; wait++) {
      const line = server
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{") && l.includes(`"requestId":"${id}"`))
        .map((l) => JSON.parse(l) as { msg: string; queries?: number })
        .find((l) => l.msg === "request");
      if (line) return line.queries!;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no log line for ${path}`);
  }

  /** Every page and export of the RFP, as its lead and as its first evaluator. */
  async function rfpPageCounts(
    e: CreatedEvaluation
  ): Promise<Record<string, number>> {
    const lead = new Visitor(server.baseUrl);
    await lead.login(e.lead.email);
    const evaluator = new Visitor(server.baseUrl);
    await evaluator.login(e.evaluators[0]!.email);
    const rfp = `/rfps/${e.rfpId}`;
    const scored = e.criteria.find((c) => c.kind === "scored")!;
    const vendor = e.vendors[1]!;
    const handle = openDatabase(server.databaseUrl);
    const question = await handle.db
      .selectFrom("question")
      .select("id")
      .where("rfp_id", "=", e.rfpId)
      .where("key", "=", "Q-1")
      .executeTakeFirstOrThrow();
    await handle.close();
    const pages: Array<[string, Visitor, string]> = [
      ["overview", lead, rfp],
      ["details", lead, `${rfp}/details`],
      ["questionnaire", lead, `${rfp}/questionnaire`],
      ["a criterion", lead, `${rfp}/questionnaire/criteria/${scored.id}`],
      ["versions", lead, `${rfp}/questionnaire/versions`],
      ["team", lead, `${rfp}/members`],
      ["vendors", lead, `${rfp}/vendors`],
      ["a vendor", lead, `${rfp}/vendors/${vendor.submissionId}`],
      ["answers", lead, `${rfp}/answers`],
      ["evaluation progress", lead, `${rfp}/evaluation`],
      ["consensus", lead, `${rfp}/consensus`],
      ["results", lead, `${rfp}/results`],
      ["results drill-down", lead, `${rfp}/results/criterion/${scored.id}`],
      ["scorecard", lead, `${rfp}/scorecard`],
      ["scorecard.xlsx", lead, `${rfp}/scorecard.xlsx`],
      ["matrix.csv", lead, `${rfp}/matrix.csv`],
      ["audit", lead, `${rfp}/audit`],
      ["audit.csv", lead, `${rfp}/audit.csv`],
      [
        "audit, one question’s answers",
        lead,
        `${rfp}/audit?q=${encodeURIComponent("Q-1")}`,
      ],
      ["one question’s answers", lead, `${rfp}/answers/${question.id}`],
      ["export.json", lead, `${rfp}/export.json`],
      ["vendor workbook", lead, `${rfp}/vendor-workbook.xlsx`],
      ["evaluator: my scoresheets", evaluator, `${rfp}/evaluate`],
      [
        "evaluator: one scoresheet",
        evaluator,
        `${rfp}/evaluate/${vendor.submissionId}`,
      ],
      ["evaluator: my evaluations", evaluator, "/evaluations"],
    ];
    const counts: Record<string, number> = {};
    for (const [name, visitor, path] of pages)
      counts[name] = await queriesOf(visitor, path);
    return counts;
  }

  async function globalCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, path] of [
      ["RFP list", "/rfps"],
      ["vendor registry", "/vendors"],
      ["users", "/admin/users"],
      ["account events", "/admin/account-events"],
      ["mail", "/admin/mail"],
      ["notifications", "/notifications"],
    ] as const) {
      counts[name] = await queriesOf(admin, path);
    }
    return counts;
  }

  it("issues as many queries for an RFP four times as large, on every page and export, and for every global list", async () => {
    const small = await create(SMALL, 3);
    const globalsBefore = await globalCounts();
    const large = await create(LARGE, 4);
    const globalsAfter = await globalCounts();
    const smallPages = await rfpPageCounts(small);
    const largePages = await rfpPageCounts(large);
    console.log("queries per request", {
      small: smallPages,
      large: largePages,
      globalsBefore,
      globalsAfter,
    });
    expect(largePages).toEqual(smallPages);
    expect(globalsAfter).toEqual(globalsBefore);
  }, 300_000);
});
