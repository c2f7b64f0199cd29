/**
 * What a failed call into a page becomes: playwright says "page.evaluate: Target crashed" when the
 * page's renderer died mid-call (out of its heap, or killed); that is said in words, with
 * playwright's text kept. Anything else (the page's own exception, with its message) is left as
 * it is.
 */
export function pageError(e: unknown, what: string): unknown {
  if (e instanceof Error && /Target crashed|Target page, context or browser has been closed/.test(e.message))
    return new Error(
      `the Chromium page running ${what} crashed mid-call (its renderer died: out of memory, or killed): ${e.message.split('\n')[0]}`,
    );
  return e;
}
