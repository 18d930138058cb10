import Model
import Storage
import Testing
@testable import App

struct UnfinishedMetricsTests {
    @Test func write_givesEveryStatusACount_andTheOldestAge() {
        var writer = PrometheusWriter()
        let figures: [String: [UnfinishedFigures]] = [
            "acme": [UnfinishedFigures(status: .awaitingApproval, count: 2, oldestCreatedAt: 1_000_000)],
            "quiet": [],
        ]
        UnfinishedMetrics.write(figures, now: 1_090_500, into: &writer)
        let text = writer.text
        #expect(text.contains("switchboard_unfinished_interactions{tenant=\"acme\",status=\"awaiting_approval\"} 2\n"))
        #expect(text.contains("switchboard_unfinished_interactions{tenant=\"acme\",status=\"retrying\"} 0\n"))
        #expect(text.contains("switchboard_unfinished_interactions{tenant=\"quiet\",status=\"accepted\"} 0\n"))
        #expect(text.contains("switchboard_oldest_unfinished_age_seconds{tenant=\"acme\",status=\"awaiting_approval\"} 90.5\n"))
        #expect(!text.contains("switchboard_oldest_unfinished_age_seconds{tenant=\"quiet\""))
        #expect(text.contains("# TYPE switchboard_oldest_unfinished_age_seconds gauge"))
    }
}
