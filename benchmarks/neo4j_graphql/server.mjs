// The Neo4j GraphQL Library (@neo4j/graphql 7) served by Apollo Server 4 over graphcoord's
// store: the peer benchmarks/graphql_library.py times beside `graphcoord serve`.
// Reads NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and PORT; prints "ready <port>" when it serves.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(
  process.env.NEO4J_URI,
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD),
);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema, introspection: false });
const port = Number(process.env.PORT ?? 4000);
await startStandaloneServer(server, { listen: { port, host: "127.0.0.1" } });
console.log(`ready ${port}`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
