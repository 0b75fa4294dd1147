package graphcoord.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.LabelEntry;
import org.neo4j.graphdb.event.PropertyEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;

/**
 * A change feed for Neo4j Community: what each committed transaction touched.
 *
 * <p>Every transaction committed on the database (through graphcoord or not: an admin's
 * Cypher, another application) is summarised before it commits -- the labels and relationship
 * types it touched, and the business keys of the nodes and the endpoints of the relationships,
 * up to {@link #MAX_KEYS} -- and appended after it commits, with a sequence number, to a
 * bounded in-memory log. {@code CALL graphcoord.changes($since)} ({@link ChangeProcedures})
 * returns the entries after a sequence number, so that caches kept by graphcoord's processes
 * drop exactly what a write made stale. The log lives as long as the server: its {@link #EPOCH}
 * changes at every start, and a reader that fell behind the oldest entry kept is told so.
 */
public final class ChangeFeed implements TransactionEventListener<ChangeFeed.Change> {
    /** Entries kept (a reader further behind than this re-reads everything). */
    static final int CAPACITY = 100_000;
    /** Node keys and relationships listed per transaction; more makes the entry truncated. */
    static final int MAX_KEYS = 1_000;
    /** Identifies this server's run: a reader seeing another epoch starts again. */
    static final String EPOCH = UUID.randomUUID().toString();

    static final ChangeFeed INSTANCE = new ChangeFeed();

    /**
     * What one transaction touched. Nodes are {@code +Label:key} (created), {@code -Label:key}
     * (deleted) or {@code ~Label:key} (labels or properties changed); relationships
     * {@code +TYPE|startKey|endKey}, {@code -…} or {@code ~…}; properties {@code Label.name} of
     * the properties set or removed on nodes that were neither created nor deleted.
     */
    record Change(
            long txId,
            long committedAt,
            Set<String> labels,
            Set<String> types,
            Set<String> nodes,
            Set<String> relationships,
            Set<String> properties,
            boolean truncated) {}

    /** A committed change with its place in the log. */
    record Entry(long seq, Change change) {}

    private final ArrayDeque<Entry> log = new ArrayDeque<>();
    private long head = 0;

    private ChangeFeed() {}

    @Override
    public Change beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService db) {
        Summary summary = new Summary();
        for (Node node : data.createdNodes()) {
            summary.createdNodes.add(node.getId());
        }
        for (Relationship relationship : data.createdRelationships()) {
            summary.createdRelationships.add(relationship.getId());
        }
        // Keys of nodes deleted in this transaction: their properties are gone, but the data
        // of the transaction still holds what they were.
        Map<Long, String> deletedKeys = new HashMap<>();
        Map<Long, List<String>> deletedLabels = new HashMap<>();
        for (LabelEntry entry : data.removedLabels()) {
            if (data.isDeleted(entry.node())) {
                deletedLabels.computeIfAbsent(entry.node().getId(), k -> new ArrayList<>())
                        .add(entry.label().name());
            }
        }
        for (PropertyEntry<Node> entry : data.removedNodeProperties()) {
            if (data.isDeleted(entry.entity()) && isKey(entry.key()) && entry.previouslyCommittedValue() != null) {
                deletedKeys.put(entry.entity().getId(), String.valueOf(entry.previouslyCommittedValue()));
            }
        }
        for (Node node : data.createdNodes()) {
            summary.node(node, deletedKeys, deletedLabels, data);
        }
        for (Node node : data.deletedNodes()) {
            summary.node(node, deletedKeys, deletedLabels, data);
        }
        for (LabelEntry entry : data.assignedLabels()) {
            summary.node(entry.node(), deletedKeys, deletedLabels, data);
            summary.labels.add(entry.label().name());
        }
        for (LabelEntry entry : data.removedLabels()) {
            summary.node(entry.node(), deletedKeys, deletedLabels, data);
            summary.labels.add(entry.label().name());
        }
        for (PropertyEntry<Node> entry : data.assignedNodeProperties()) {
            summary.node(entry.entity(), deletedKeys, deletedLabels, data);
            summary.property(entry.entity(), entry.key(), data);
        }
        for (PropertyEntry<Node> entry : data.removedNodeProperties()) {
            summary.node(entry.entity(), deletedKeys, deletedLabels, data);
            summary.property(entry.entity(), entry.key(), data);
        }
        for (Relationship relationship : data.createdRelationships()) {
            summary.relationship(relationship, deletedKeys, data);
        }
        for (Relationship relationship : data.deletedRelationships()) {
            summary.relationship(relationship, deletedKeys, data);
        }
        for (PropertyEntry<Relationship> entry : data.assignedRelationshipProperties()) {
            summary.relationship(entry.entity(), deletedKeys, data);
        }
        for (PropertyEntry<Relationship> entry : data.removedRelationshipProperties()) {
            summary.relationship(entry.entity(), deletedKeys, data);
        }
        if (summary.labels.isEmpty() && summary.types.isEmpty()) {
            return null; // schema operations and reads: nothing a cache holds
        }
        return new Change(
                0L, 0L, summary.labels, summary.types, summary.nodes, summary.relationships,
                summary.properties, summary.truncated);
    }

    @Override
    public void afterCommit(TransactionData data, Change change, GraphDatabaseService db) {
        if (change == null) {
            return;
        }
        Change committed = new Change(
                data.getTransactionId(), data.getCommitTime(), change.labels(), change.types(),
                change.nodes(), change.relationships(), change.properties(), change.truncated());
        synchronized (this) {
            head += 1;
            log.addLast(new Entry(head, committed));
            while (log.size() > CAPACITY) {
                log.removeFirst();
            }
        }
    }

    @Override
    public void afterRollback(TransactionData data, Change change, GraphDatabaseService db) {
        // nothing was committed
    }

    /** The head sequence number, the oldest kept, and the entries after {@code since}. */
    synchronized Snapshot since(long since) {
        long oldest = log.isEmpty() ? head + 1 : log.peekFirst().seq();
        List<Entry> entries = new ArrayList<>();
        if (since < head) {
            for (Entry entry : log) {
                if (entry.seq() > since) {
                    entries.add(entry);
                }
            }
        }
        return new Snapshot(head, oldest, entries);
    }

    record Snapshot(long head, long oldest, List<Entry> entries) {}

    private static boolean isKey(String property) {
        return "id".equals(property) || "code".equals(property) || "number".equals(property);
    }

    /** The touched labels, types and keys of one transaction, bounded. */
    private static final class Summary {
        final Set<String> labels = new LinkedHashSet<>();
        final Set<String> types = new LinkedHashSet<>();
        final Set<String> nodes = new LinkedHashSet<>();
        final Set<String> relationships = new LinkedHashSet<>();
        final Set<String> properties = new LinkedHashSet<>();
        final Set<Long> createdNodes = new HashSet<>();
        final Set<Long> createdRelationships = new HashSet<>();
        final Map<Long, Boolean> seen = new LinkedHashMap<>();
        final Map<Long, Boolean> seenRelationships = new LinkedHashMap<>();
        boolean truncated = false;

        void node(Node node, Map<Long, String> deletedKeys, Map<Long, List<String>> deletedLabels,
                  TransactionData data) {
            long id = node.getId();
            if (seen.putIfAbsent(id, Boolean.TRUE) != null) {
                return;
            }
            List<String> names = new ArrayList<>();
            String key;
            if (data.isDeleted(node)) {
                names.addAll(deletedLabels.getOrDefault(id, List.of()));
                key = deletedKeys.get(id);
            } else {
                for (Label label : node.getLabels()) {
                    names.add(label.name());
                }
                key = keyOf(node);
            }
            labels.addAll(names);
            if (key == null) {
                return;
            }
            String op = data.isDeleted(node) ? "-" : createdNodes.contains(id) ? "+" : "~";
            for (String name : names) {
                add(nodes, op + name + ":" + key);
            }
        }

        void property(Node node, String key, TransactionData data) {
            if (data.isDeleted(node) || createdNodes.contains(node.getId())) {
                return; // a created or deleted node's properties are the node itself
            }
            for (Label label : node.getLabels()) {
                add(properties, label.name() + "." + key);
            }
        }

        void relationship(Relationship relationship, Map<Long, String> deletedKeys, TransactionData data) {
            if (seenRelationships.putIfAbsent(relationship.getId(), Boolean.TRUE) != null) {
                return;
            }
            types.add(relationship.getType().name());
            String start = endpoint(relationship.getStartNode(), deletedKeys, data);
            String end = endpoint(relationship.getEndNode(), deletedKeys, data);
            String op = data.isDeleted(relationship)
                    ? "-"
                    : createdRelationships.contains(relationship.getId()) ? "+" : "~";
            add(relationships, op + relationship.getType().name() + "|" + start + "|" + end);
        }

        private void add(Set<String> into, String value) {
            if (into.size() >= MAX_KEYS) {
                truncated = true;
                return;
            }
            into.add(value);
        }

        private static String endpoint(Node node, Map<Long, String> deletedKeys, TransactionData data) {
            String key = data.isDeleted(node) ? deletedKeys.get(node.getId()) : keyOf(node);
            return key == null ? "" : key;
        }

        private static String keyOf(Node node) {
            for (String property : new String[] {"code", "id", "number"}) {
                Object value = node.getProperty(property, null);
                if (value != null) {
                    return String.valueOf(value);
                }
            }
            return null;
        }
    }
}
