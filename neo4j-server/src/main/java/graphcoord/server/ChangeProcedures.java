package graphcoord.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code CALL graphcoord.changes($since)}: the change feed of {@link ChangeFeed}. */
public final class ChangeProcedures {

    /** One row: where the feed stands, and the changes after {@code since}. */
    public static final class Feed {
        public String epoch;
        public long head;
        public long oldest;
        public List<Map<String, Object>> changes;
    }

    @Procedure(name = "graphcoord.changes", mode = Mode.READ)
    @Description(
            "graphcoord.changes(since) :: (epoch, head, oldest, changes): the transactions committed "
                    + "after sequence number `since` and what each touched (labels, relationship "
                    + "types, node keys, relationship endpoints). A reader whose `since` is below "
                    + "`oldest` - 1, or who saw another epoch, has missed changes.")
    public Stream<Feed> changes(@Name("since") long since) {
        ChangeFeed.Snapshot snapshot = ChangeFeed.INSTANCE.since(since);
        Feed feed = new Feed();
        feed.epoch = ChangeFeed.EPOCH;
        feed.head = snapshot.head();
        feed.oldest = snapshot.oldest();
        feed.changes = new ArrayList<>(snapshot.entries().size());
        for (ChangeFeed.Entry entry : snapshot.entries()) {
            ChangeFeed.Change change = entry.change();
            feed.changes.add(Map.of(
                    "seq", entry.seq(),
                    "txId", change.txId(),
                    "committedAt", change.committedAt(),
                    "labels", List.copyOf(change.labels()),
                    "types", List.copyOf(change.types()),
                    "nodes", List.copyOf(change.nodes()),
                    "relationships", List.copyOf(change.relationships()),
                    "properties", List.copyOf(change.properties()),
                    "truncated", change.truncated()));
        }
        return Stream.of(feed);
    }
}
