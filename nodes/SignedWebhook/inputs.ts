/** The node's inputs: items to send, and with durable delivery a second one that asks it to continue stopped deliveries. */
export const ITEMS_INPUT = 0;
export const RESUME_INPUT = 1;
