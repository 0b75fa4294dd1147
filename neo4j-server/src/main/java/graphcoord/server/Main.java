package graphcoord.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.kernel.api.exceptions.ProcedureException;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs an embedded Neo4j Community server with its Bolt connector, for graphcoord.
 *
 * <p>Usage: {@code Main <neo4j-home> <neo4j.conf>}. The configuration file (written by
 * {@code graphcoord db start}) holds the listen address, memory and directories. The password
 * of the {@code neo4j} user comes from the environment variable GRAPHCOORD_NEO4J_PASSWORD, never
 * from the command line, so it does not show in the process list.
 *
 * <p>It also keeps a change feed of the default database ({@link ChangeFeed}, read with
 * {@code CALL graphcoord.changes($since)}), so that graphcoord's caches see every committed
 * write, including those that do not go through graphcoord.
 * <p>On the first start (no system database yet) the server is started once with Bolt off, the
 * password is set, and it is started again with Bolt: no client ever meets the default
 * {@code neo4j/neo4j} user, which anyone on the machine could otherwise log in as and take.
 */
public final class Main {
    private static final String PASSWORD_ENV = "GRAPHCOORD_NEO4J_PASSWORD";

    private Main() {}

    public static void main(String[] args) throws InterruptedException, ProcedureException {
        if (args.length != 2) {
            System.err.println("usage: Main <neo4j-home> <neo4j.conf>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path conf = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.length() < 8) {
            System.err.println(PASSWORD_ENV + " must hold the neo4j password (8 characters or more)");
            System.exit(2);
        }
        if (!Files.isReadable(conf)) {
            System.err.println("cannot read configuration file " + conf);
            System.exit(2);
        }

        if (!Files.isDirectory(home.resolve("data").resolve("databases").resolve("system"))) {
            DatabaseManagementService setup = new DatabaseManagementServiceBuilder(home)
                    .loadPropertiesFromFile(conf)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(BoltConnector.enabled, false)
                    .build();
            try {
                setPassword(setup.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            } finally {
                setup.shutdown();
            }
            System.out.println("graphcoord-neo4j: password set before Bolt opened");
        }
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .build();
        service.registerTransactionEventListener(
                GraphDatabaseSettings.DEFAULT_DATABASE_NAME, ChangeFeed.INSTANCE);
        ((GraphDatabaseAPI) service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME))
                .getDependencyResolver()
                .resolveDependency(GlobalProcedures.class)
                .registerProcedure(ChangeProcedures.class);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("graphcoord-neo4j: shutting down");
            service.shutdown();
            stopped.countDown();
        }, "graphcoord-neo4j-shutdown"));

        // A restart with another password: Bolt is open, set it at once.
        setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        System.out.println("graphcoord-neo4j: READY");
        System.out.flush();
        stopped.await();
    }

    /** Sets the neo4j user's password so that Bolt clients authenticate with it. */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Setting the password it already has is refused; that is the normal restart case.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }
}
