package org.diskless.metrics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.diskless.api.stats.DurationHistogram;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The series of one scrape, gathered family by family: two sources that give the same series (two
 * services of one protocol) add up, and a series that does not fit its family (another type, other
 * label names) is left out rather than failing the whole scrape. Not thread-safe: one per scrape.
 */
final class MetricFamilies {

    enum Type {
        COUNTER, GAUGE, HISTOGRAM
    }

    /** One family: its type, help, unit and label names, and its series by label values. */
    private static final class Family {
        final Type type;
        final String help;
        final Unit unit;
        final Set<String> labelNames;
        final Map<Labels, Double> values = new LinkedHashMap<>();
        final Map<Labels, DurationHistogram> histograms = new LinkedHashMap<>();

        Family(Type type, String help, Unit unit, Set<String> labelNames) {
            this.type = type;
            this.help = help;
            this.unit = unit;
            this.labelNames = labelNames;
        }
    }

    private final Map<String, Family> families = new TreeMap<>();
    private final List<String> misfits = new ArrayList<>();

    /** @param name the family's name without {@code _total}, as Prometheus' model wants it */
    void counter(String name, String help, Unit unit, Labels labels, long value) {
        Family family = family(name, Type.COUNTER, help, unit, labels);
        if (family != null) {
            family.values.merge(labels, (double) value, Double::sum);
        }
    }

    void gauge(String name, String help, Labels labels, double value) {
        Family family = family(name, Type.GAUGE, help, null, labels);
        if (family != null) {
            family.values.merge(labels, value, Double::sum);
        }
    }

    /** A histogram in seconds; a second one of the same series is left out unless its bounds match. */
    void histogram(String name, String help, Labels labels, DurationHistogram histogram) {
        Family family = family(name, Type.HISTOGRAM, help, Unit.SECONDS, labels);
        if (family != null) {
            family.histograms.merge(labels, histogram, this::add);
        }
    }

    private Family family(String name, Type type, String help, Unit unit, Labels labels) {
        Set<String> labelNames = Set.copyOf(labels.stream().map(l -> l.getName()).toList());
        Family family = families.computeIfAbsent(name, n -> new Family(type, help, unit, labelNames));
        if (family.type != type || !family.labelNames.equals(labelNames)) {
            misfits.add(name + labels);
            return null;
        }
        return family;
    }

    private DurationHistogram add(DurationHistogram a, DurationHistogram b) {
        if (!a.upperBounds().equals(b.upperBounds())) {
            misfits.add("histogram with other bounds " + b.upperBounds());
            return a;
        }
        long[] counts = new long[a.upperBounds().size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = a.cumulativeCount(i) + b.cumulativeCount(i);
        }
        return new DurationHistogram(a.upperBounds(), counts, a.count() + b.count(), a.sum().plus(b.sum()));
    }

    /** The series left out this scrape, for a log line: a source that broke the naming rules. */
    List<String> misfits() {
        return List.copyOf(misfits);
    }

    MetricSnapshots snapshots() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        families.forEach((name, family) -> snapshots.metricSnapshot(snapshot(name, family)));
        return snapshots.build();
    }

    private static MetricSnapshot snapshot(String name, Family family) {
        switch (family.type) {
            case COUNTER: {
                CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(family.help);
                if (family.unit != null) {
                    counter.unit(family.unit);
                }
                family.values.forEach((labels, value) -> counter.dataPoint(
                        CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
                return counter.build();
            }
            case GAUGE: {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(family.help);
                family.values.forEach((labels, value) -> gauge.dataPoint(
                        GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
                return gauge.build();
            }
            default: {
                HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(family.help)
                        .unit(Unit.SECONDS);
                family.histograms.forEach((labels, h) -> histogram.dataPoint(
                        HistogramDataPointSnapshot.builder().labels(labels).classicHistogramBuckets(buckets(h))
                                .sum(h.sum().toNanos() / 1e9).build()));
                return histogram.build();
            }
        }
    }

    /** Prometheus' classic buckets count each bucket on its own; ours are cumulative, +Inf is the count. */
    private static ClassicHistogramBuckets buckets(DurationHistogram h) {
        int n = h.upperBounds().size();
        double[] bounds = new double[n + 1];
        long[] counts = new long[n + 1];
        long below = 0;
        for (int i = 0; i < n; i++) {
            bounds[i] = h.upperBounds().get(i).toNanos() / 1e9;
            counts[i] = h.cumulativeCount(i) - below;
            below = h.cumulativeCount(i);
        }
        bounds[n] = Double.POSITIVE_INFINITY;
        counts[n] = h.count() - below;
        return ClassicHistogramBuckets.of(bounds, counts);
    }
}
