/** Number of earlier messages of a thread that memory gives the model with each new message. */
export const LAST_MESSAGES = 10;
