/**
 * What a module contributes to the application. Each module has one `<name>.module.ts` exporting one of
 * these; `app/modules.ts` lists them, and the ORM and the schema are composed from that list alone.
 */
export interface AppModule {
  name: string;
  /** MikroORM entity classes. */
  entities: Function[];
  /** type-graphql resolver classes. */
  resolvers: Function[];
}
