/** Kysely table types for every table the migrations create. Keep in step with ./migrations. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DB {}
