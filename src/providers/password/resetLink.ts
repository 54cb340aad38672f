/** The query parameter a reset link carries its token in: the app's page reads it, the browser client leaves it alone. */
export const RESET_LINK_PARAM = "wardenReset";
