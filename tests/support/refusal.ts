import { UploadRejectedError } from '#app/import/upload-guard.server';

/** The upload refusal `run` ends in; anything else it throws is rethrown, and finishing without a refusal fails. */
export async function refusal(run: () => Promise<unknown>): Promise<UploadRejectedError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UploadRejectedError) return error;
    throw error;
  }
  throw new Error('expected the upload to be refused');
}
