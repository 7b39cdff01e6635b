import assert from "node:assert/strict";

/** What the client reports for an error answer: the TinkerPop status, and Neptune's error JSON in the message. */
export async function refusal(
  work: Promise<unknown>,
): Promise<{ status: number; code: string; detailedMessage: string }> {
  try {
    await work;
  } catch (error) {
    const { statusCode, statusMessage } = error as { statusCode: number; statusMessage: string };
    const body = JSON.parse(statusMessage) as { code: string; detailedMessage: string; requestId: string };
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    return { status: statusCode, code: body.code, detailedMessage: body.detailedMessage };
  }
  assert.fail("the traversal was not refused");
}
