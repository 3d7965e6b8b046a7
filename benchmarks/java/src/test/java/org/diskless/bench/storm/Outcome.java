package org.diskless.bench.storm;

/** What a fetch reported: null until it did, then "fetched" or "failed: reason". */
final class Outcome implements Fetch.Listener {

    String text;

    @Override
    public void fetched(ExpectedFile file) {
        text = "fetched";
    }

    @Override
    public void failed(ExpectedFile file, String reason) {
        text = "failed: " + reason;
    }
}
