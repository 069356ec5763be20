/// Names and words the synthetic generator writes: MovieLens genres, MIND categories, and the
/// per-genre and per-topic vocabularies that titles, abstracts and tags are drawn from.
///
/// Words never contain a tab, a newline or a comma, so only the generated movie-title punctuation
/// (`, The`, quoted words) exercises CSV quoting.
enum SyntheticVocabulary {
    /// The 18 MovieLens genres, in the alphabetical order MovieLens lists them in `genres`.
    static let genres = [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ]

    /// Relative frequency of each genre as a movie's first genre (roughly MovieLens' shares).
    static let genreFrequency: [Double] = [
        7, 5, 3, 3, 14, 5, 3, 16, 3, 1, 5, 2, 3, 6, 4, 8, 2, 1,
    ]

    /// Words a user might tag a movie of each genre with (MovieLens tags are free text).
    static let genreTags: [[String]] = [
        ["explosions", "fast-paced", "stunts", "car chase", "fight scenes"],
        ["quest", "epic", "treasure", "journey", "exploration"],
        ["pixar", "hand-drawn", "cute", "colorful", "stop motion"],
        ["family", "kids", "wholesome", "talking animals", "coming of age"],
        ["funny", "hilarious", "witty", "quirky", "dark comedy"],
        ["heist", "gangster", "mafia", "detective", "organized crime"],
        ["true story", "informative", "nature", "history", "biography"],
        ["emotional", "character study", "powerful", "slow", "thought-provoking"],
        ["magic", "dragons", "wizards", "fairy tale", "mythology"],
        ["noir", "black and white", "femme fatale", "moody", "classic"],
        ["scary", "gore", "zombies", "creepy", "jump scares"],
        ["singing", "dance", "broadway", "songs", "soundtrack"],
        ["twist ending", "whodunit", "suspense", "clever", "puzzle"],
        ["love story", "romantic", "sweet", "chemistry", "heartwarming"],
        ["space", "aliens", "time travel", "dystopia", "robots"],
        ["tense", "psychological", "conspiracy", "paranoia", "gripping"],
        ["wwii", "battle", "soldiers", "anti-war", "military"],
        ["cowboys", "gunfight", "frontier", "outlaws", "desert"],
    ]

    /// Title words that lean towards each genre.
    static let genreTitleWords: [[String]] = [
        ["Strike", "Fury", "Velocity", "Target", "Vengeance"],
        ["Quest", "Kingdom", "Expedition", "Horizon", "Voyage"],
        ["Bunny", "Toys", "Balloon", "Critters", "Dreamland"],
        ["Puppy", "Treehouse", "Summer", "Friends", "Playground"],
        ["Wedding", "Roommates", "Vacation", "Mess", "Party"],
        ["Heist", "Mob", "Alibi", "Score", "Streets"],
        ["Truth", "Planet", "Voices", "Archive", "Witness"],
        ["Silence", "Letters", "Harvest", "Mother", "Winter"],
        ["Dragon", "Spell", "Crown", "Realm", "Sorcerer"],
        ["Shadows", "Dame", "Nightfall", "Smoke", "Rain"],
        ["Haunting", "Cellar", "Curse", "Scream", "Blood"],
        ["Melody", "Rhythm", "Chorus", "Stage", "Dance"],
        ["Secret", "Riddle", "Clue", "Manor", "Vanishing"],
        ["Love", "Kiss", "Heart", "Promise", "Forever"],
        ["Galaxy", "Android", "Orbit", "Signal", "Colony"],
        ["Pursuit", "Edge", "Panic", "Trap", "Deadline"],
        ["Battalion", "Trenches", "Front", "Squadron", "Beachhead"],
        ["Outlaw", "Canyon", "Sheriff", "Frontier", "Saddle"],
    ]

    /// Title words shared by every genre.
    static let movieTitleWords = [
        "Last", "Lost", "Night", "City", "Day", "Man", "Woman", "Girl", "Boy", "Story", "Return", "House", "Road",
        "Dark", "Little", "Big", "Blue", "Red", "Golden", "American", "Secret", "Long", "Wild", "River", "Island",
        "Stranger", "King", "Game", "World", "Time", "Home", "Life", "Dead", "Black", "White", "Fire", "Ice", "Moon",
        "Sun", "Star", "Dream", "Song", "Ghost", "Child", "Brothers", "Sisters", "Town", "Paradise", "Escape", "Saint",
    ]

    /// MIND news categories (real category names of the MIND data set).
    static let topics = [
        "news", "sports", "finance", "lifestyle", "health", "travel", "foodanddrink", "entertainment", "autos",
        "weather", "video", "music", "tv", "movies",
    ]

    /// Relative frequency of each category in the news catalog (roughly MIND's shares).
    static let topicFrequency: [Double] = [30, 28, 6, 6, 5, 5, 4, 3, 3, 2, 2, 2, 2, 2]

    /// MIND-style subcategories of each category.
    static let subcategories: [[String]] = [
        ["newsus", "newsworld", "newspolitics"],
        ["football_nfl", "basketball_nba", "baseball_mlb"],
        ["markets", "finance-companies", "personalfinance"],
        ["lifestylebuzz", "lifestyleroyals", "shop-holidays"],
        ["wellness", "medical", "weightloss"],
        ["traveltrip", "travelnews", "travelarticle"],
        ["recipes", "restaurantsandnews", "foodnews"],
        ["celebrity", "awards", "humor"],
        ["autosnews", "autoscartech", "autosenthusiasts"],
        ["weathertopstories", "weathernews", "climate"],
        ["animals", "viral", "science"],
        ["musicnews", "music-celebrity", "musicvideos"],
        ["tvnews", "tv-celebrity", "tvreviews"],
        ["movienews", "movies-celebrity", "moviesreviews"],
    ]

    /// Words that make a title or abstract read like its category.
    static let topicWords: [[String]] = [
        [
            "election", "senate", "court", "governor", "police", "investigation", "congress", "mayor", "protest",
            "officials", "policy", "vote", "lawmakers", "community", "impeachment",
        ],
        [
            "coach", "quarterback", "season", "playoff", "touchdown", "league", "championship", "injury", "roster",
            "draft", "victory", "stadium", "rookie", "defense", "scores",
        ],
        [
            "stocks", "market", "investors", "earnings", "retirement", "savings", "mortgage", "economy", "shares",
            "dividend", "inflation", "budget", "banks", "taxes", "profit",
        ],
        [
            "family", "wedding", "home", "holiday", "style", "fashion", "parenting", "relationship", "gift", "decor",
            "royal", "pets", "dating", "beauty", "trends",
        ],
        [
            "diet", "doctors", "exercise", "sleep", "vitamin", "heart", "cancer", "study", "patients", "symptoms",
            "fitness", "nutrition", "hospital", "therapy", "vaccine",
        ],
        [
            "flight", "airport", "hotel", "beach", "vacation", "cruise", "island", "passport", "destination", "resort",
            "airline", "tourists", "trip", "luggage", "landmarks",
        ],
        [
            "recipe", "dinner", "chef", "restaurant", "cheese", "chocolate", "baking", "thanksgiving", "turkey",
            "pizza", "wine", "coffee", "menu", "kitchen", "dessert",
        ],
        [
            "celebrity", "star", "singer", "actress", "award", "premiere", "scandal", "interview", "gossip", "couple",
            "spotlight", "famous", "host", "tribute", "paparazzi",
        ],
        [
            "car", "truck", "engine", "sedan", "electric", "horsepower", "dealer", "recall", "pickup", "highway",
            "mileage", "vehicle", "driver", "suv", "brakes",
        ],
        [
            "storm", "snow", "rain", "forecast", "temperatures", "hurricane", "winds", "flooding", "frost", "chill",
            "blizzard", "tornado", "sunshine", "humidity", "freeze",
        ],
        [
            "watch", "footage", "clip", "camera", "viral", "rescue", "moment", "dog", "caught", "video", "amazing",
            "surprise", "wildlife", "cute", "bear",
        ],
        [
            "album", "song", "concert", "tour", "band", "guitar", "grammy", "rapper", "lyrics", "stage", "hit", "chart",
            "festival", "playlist", "vocals",
        ],
        [
            "episode", "series", "finale", "sitcom", "network", "streaming", "showrunner", "cast", "reboot", "drama",
            "ratings", "reality", "anchor", "spinoff", "primetime",
        ],
        [
            "film", "director", "sequel", "trailer", "blockbuster", "screenplay", "cinema", "franchise", "studio",
            "oscar", "hollywood", "villain", "superhero", "casting", "remake",
        ],
    ]

    /// Function words and common headline words shared by every category.
    static let fillerWords = [
        "the", "a", "of", "to", "in", "for", "on", "with", "after", "new", "how", "why", "what", "this", "says",
        "could", "will", "about", "over", "first", "top", "best", "here", "year", "week", "may", "just", "more",
        "big", "and", "from", "is", "are", "your", "you", "people", "still", "gets", "before", "now",
    ]
}
