FEED_PATH = "/feed"
