/** Password rules shared by the server, the CLI and the browser forms (no server-only imports here). */
export const MIN_PASSWORD_LENGTH = 12;
