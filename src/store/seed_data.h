/* seed_data.h - the vocabulary of `hearth seed`: first names,
 * surnames and cities of 17 communities written in 9 scripts, tags,
 * categories and profile descriptions. Included through
 * seed_internal.h only.
 *
 * Names are listed most common first (the generator draws them with a Zipf
 * weight). `ascii` is the transliteration usernames are made from ('_'
 * between words); `native` is the name as its bearer writes it, accents and
 * script included (NULL: the ascii form, capitalized). Cities: local name,
 * latitude, longitude, population in thousands (the generator weighs them by
 * its square root: big cities big, not overwhelming).
 */
#ifndef HEARTH_STORE_SQLITE_SEED_DATA_H
#define HEARTH_STORE_SQLITE_SEED_DATA_H

struct seed_name {
    const char *ascii;
    const char *native; /* NULL = same as ascii */
};

struct seed_city {
    const char *name;
    double lat, lng;
    int population_k;
};

/* How a culture writes names: given name first or surname first, with or
 * without a space; and a rule for women's surnames (Slavic -a forms). */
enum seed_order { SEED_GIVEN_FIRST, SEED_FAMILY_FIRST, SEED_FAMILY_FIRST_NOSPACE };
enum seed_female { SEED_FEMALE_SAME, SEED_FEMALE_RU, SEED_FEMALE_PL };

struct seed_culture {
    const char *code;
    int weight; /* percent of the population */
    enum seed_order order;
    enum seed_female female;
    int native_percent; /* real names written in the native script */
    const struct seed_name *male, *female_names, *surnames;
    int nmale, nfemale, nsurnames;
    const struct seed_city *cities;
    int ncities;
    const char *const *descriptions;
    int ndescriptions;
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- Italian ---- */
static const struct seed_name it_m[] = {
    {"francesco", "Francesco"}, {"alessandro", "Alessandro"}, {"lorenzo", "Lorenzo"}, {"mattia", "Mattia"},
    {"andrea", "Andrea"},       {"leonardo", "Leonardo"},     {"gabriele", "Gabriele"}, {"marco", "Marco"},
    {"luca", "Luca"},           {"giuseppe", "Giuseppe"},     {"mario", "Mario"},       {"giovanni", "Giovanni"},
    {"antonio", "Antonio"},     {"nicolo", "Nicolò"},         {"riccardo", "Riccardo"}, {"tommaso", "Tommaso"},
    {"davide", "Davide"},       {"paolo", "Paolo"},           {"stefano", "Stefano"},   {"fabrizio", "Fabrizio"},
};
static const struct seed_name it_f[] = {
    {"giulia", "Giulia"},   {"sofia", "Sofia"},     {"aurora", "Aurora"},       {"alice", "Alice"},
    {"ginevra", "Ginevra"}, {"emma", "Emma"},       {"giorgia", "Giorgia"},     {"beatrice", "Beatrice"},
    {"maria", "Maria"},     {"chiara", "Chiara"},   {"francesca", "Francesca"}, {"anna", "Anna"},
    {"martina", "Martina"}, {"sara", "Sara"},       {"elena", "Elena"},         {"laura", "Laura"},
    {"valentina", "Valentina"}, {"federica", "Federica"}, {"noemi", "Noemi"},   {"rosa", "Rosa"},
};
static const struct seed_name it_s[] = {
    {"rossi", "Rossi"},       {"russo", "Russo"},       {"ferrari", "Ferrari"},   {"esposito", "Esposito"},
    {"bianchi", "Bianchi"},   {"romano", "Romano"},     {"colombo", "Colombo"},   {"ricci", "Ricci"},
    {"marino", "Marino"},     {"greco", "Greco"},       {"bruno", "Bruno"},       {"gallo", "Gallo"},
    {"conti", "Conti"},       {"de_luca", "De Luca"},   {"mancini", "Mancini"},   {"costa", "Costa"},
    {"giordano", "Giordano"}, {"rizzo", "Rizzo"},       {"lombardi", "Lombardi"}, {"moretti", "Moretti"},
    {"barbieri", "Barbieri"}, {"fontana", "Fontana"},   {"santoro", "Santoro"},   {"mariani", "Mariani"},
    {"rinaldi", "Rinaldi"},   {"caruso", "Caruso"},     {"ferrara", "Ferrara"},   {"gatti", "Gatti"},
    {"fabbri", "Fabbri"},     {"nicolosi", "Nicolosi"}, {"d_angelo", "D'Angelo"}, {"pellegrino", "Pellegrino"},
};
static const struct seed_city it_c[] = {
    {"Roma", 41.9028, 12.4964, 2873},   {"Milano", 45.4642, 9.1900, 1352},  {"Napoli", 40.8518, 14.2681, 959},
    {"Torino", 45.0703, 7.6869, 848},   {"Palermo", 38.1157, 13.3615, 635}, {"Genova", 44.4056, 8.9463, 566},
    {"Bologna", 44.4949, 11.3426, 392}, {"Firenze", 43.7696, 11.2558, 367}, {"Bari", 41.1171, 16.8719, 316},
    {"Catania", 37.5079, 15.0830, 300}, {"Venezia", 45.4408, 12.3155, 258}, {"Verona", 45.4384, 10.9916, 257},
};
static const char *const it_d[] = {
    "Appassionato di montagna", "Fotografa per passione", "Amo cucinare per gli amici", "Sviluppatore web",
    "Insegnante di matematica", "Tifoso e runner della domenica", "Architetta e viaggiatrice",
};

/* ---- English (US) ---- */
static const struct seed_name us_m[] = {
    {"james", NULL},   {"michael", NULL}, {"robert", NULL},  {"john", NULL},    {"david", NULL},
    {"william", NULL}, {"richard", NULL}, {"joseph", NULL},  {"thomas", NULL},  {"christopher", NULL},
    {"daniel", NULL},  {"matthew", NULL}, {"anthony", NULL}, {"mark", NULL},    {"steven", NULL},
    {"andrew", NULL},  {"joshua", NULL},  {"kevin", NULL},   {"brian", NULL},   {"ethan", NULL},
    {"noah", NULL},    {"liam", NULL},    {"mason", NULL},   {"tyler", NULL},
};
static const struct seed_name us_f[] = {
    {"mary", NULL},     {"patricia", NULL}, {"jennifer", NULL}, {"linda", NULL},    {"elizabeth", NULL},
    {"barbara", NULL},  {"susan", NULL},    {"jessica", NULL},  {"sarah", NULL},    {"karen", NULL},
    {"emily", NULL},    {"ashley", NULL},   {"olivia", NULL},   {"emma", NULL},     {"ava", NULL},
    {"sophia", NULL},   {"isabella", NULL}, {"madison", NULL},  {"abigail", NULL},  {"chloe", NULL},
    {"hannah", NULL},   {"megan", NULL},    {"lauren", NULL},   {"rachel", NULL},
};
static const struct seed_name us_s[] = {
    {"smith", NULL},    {"johnson", NULL},  {"williams", NULL},  {"brown", NULL},    {"jones", NULL},
    {"garcia", NULL},   {"miller", NULL},   {"davis", NULL},     {"rodriguez", NULL}, {"martinez", NULL},
    {"hernandez", NULL}, {"lopez", NULL},   {"wilson", NULL},    {"anderson", NULL}, {"thomas", NULL},
    {"taylor", NULL},   {"moore", NULL},    {"jackson", NULL},   {"martin", NULL},   {"lee", NULL},
    {"thompson", NULL}, {"white", NULL},    {"harris", NULL},    {"clark", NULL},    {"lewis", NULL},
    {"robinson", NULL}, {"walker", NULL},   {"young", NULL},     {"allen", NULL},    {"king", NULL},
    {"wright", NULL},   {"scott", NULL},    {"nguyen", NULL},    {"hill", NULL},     {"flores", NULL},
    {"o_brien", "O'Brien"}, {"mcallister", "McAllister"}, {"kowalczyk", "Kowalczyk"},
};
static const struct seed_city us_c[] = {
    {"New York", 40.7128, -74.0060, 8336},      {"Los Angeles", 34.0522, -118.2437, 3979},
    {"Chicago", 41.8781, -87.6298, 2693},       {"Houston", 29.7604, -95.3698, 2320},
    {"Phoenix", 33.4484, -112.0740, 1680},      {"Philadelphia", 39.9526, -75.1652, 1584},
    {"San Antonio", 29.4241, -98.4936, 1547},   {"San Diego", 32.7157, -117.1611, 1423},
    {"Dallas", 32.7767, -96.7970, 1343},        {"Seattle", 47.6062, -122.3321, 753},
    {"Boston", 42.3601, -71.0589, 692},         {"Miami", 25.7617, -80.1918, 467},
    {"Honolulu", 21.3069, -157.8583, 350},      {"Anchorage", 61.2181, -149.9003, 291},
};
static const char *const en_d[] = {
    "Coffee lover and photographer", "Software engineer", "Runner, reader, dog person", "Teacher and mom of two",
    "Making music on weekends",      "Travel, food, repeat",      "Nurse, night shift hero",
};

/* ---- English (UK) ---- */
static const struct seed_name gb_m[] = {
    {"oliver", NULL}, {"george", NULL}, {"harry", NULL},  {"jack", NULL},   {"jacob", NULL},  {"charlie", NULL},
    {"oscar", NULL},  {"alfie", NULL},  {"henry", NULL},  {"freddie", NULL}, {"archie", NULL}, {"arthur", NULL},
};
static const struct seed_name gb_f[] = {
    {"olivia", NULL}, {"amelia", NULL}, {"isla", NULL},  {"ava", NULL},   {"mia", NULL},    {"isabella", NULL},
    {"grace", NULL},  {"lily", NULL},   {"freya", NULL}, {"poppy", NULL}, {"evie", NULL},   {"charlotte", NULL},
};
static const struct seed_name gb_s[] = {
    {"smith", NULL},  {"jones", NULL},  {"taylor", NULL}, {"brown", NULL},  {"williams", NULL}, {"wilson", NULL},
    {"johnson", NULL}, {"davies", NULL}, {"robinson", NULL}, {"wright", NULL}, {"thompson", NULL}, {"evans", NULL},
    {"walker", NULL}, {"white", NULL},  {"roberts", NULL}, {"green", NULL}, {"hall", NULL},     {"wood", NULL},
    {"jackson", NULL}, {"clarke", NULL}, {"macdonald", "MacDonald"}, {"o_neill", "O'Neill"},
};
static const struct seed_city gb_c[] = {
    {"London", 51.5074, -0.1278, 8982},    {"Birmingham", 52.4862, -1.8904, 1141}, {"Manchester", 53.4808, -2.2426, 553},
    {"Glasgow", 55.8642, -4.2518, 633},    {"Liverpool", 53.4084, -2.9916, 498},   {"Leeds", 53.8008, -1.5491, 793},
    {"Edinburgh", 55.9533, -3.1883, 524},  {"Bristol", 51.4545, -2.5879, 467},
};

/* ---- Spanish (Spain, Mexico, Argentina) ---- */
static const struct seed_name es_m[] = {
    {"jose", "José"},       {"antonio", "Antonio"}, {"manuel", "Manuel"},   {"francisco", "Francisco"},
    {"juan", "Juan"},       {"david", "David"},     {"javier", "Javier"},   {"daniel", "Daniel"},
    {"carlos", "Carlos"},   {"jesus", "Jesús"},     {"alejandro", "Alejandro"}, {"miguel", "Miguel"},
    {"rafael", "Rafael"},   {"pablo", "Pablo"},     {"sergio", "Sergio"},   {"angel", "Ángel"},
    {"fernando", "Fernando"}, {"luis", "Luis"},     {"jorge", "Jorge"},     {"alvaro", "Álvaro"},
};
static const struct seed_name es_f[] = {
    {"maria", "María"},       {"carmen", "Carmen"},   {"ana", "Ana"},         {"isabel", "Isabel"},
    {"laura", "Laura"},       {"lucia", "Lucía"},     {"cristina", "Cristina"}, {"marta", "Marta"},
    {"paula", "Paula"},       {"elena", "Elena"},     {"sofia", "Sofía"},     {"valentina", "Valentina"},
    {"camila", "Camila"},     {"ximena", "Ximena"},   {"guadalupe", "Guadalupe"}, {"rocio", "Rocío"},
    {"ines", "Inés"},         {"pilar", "Pilar"},     {"nuria", "Nuria"},     {"andrea", "Andrea"},
};
static const struct seed_name es_s[] = {
    {"garcia", "García"},     {"rodriguez", "Rodríguez"}, {"gonzalez", "González"}, {"fernandez", "Fernández"},
    {"lopez", "López"},       {"martinez", "Martínez"},   {"sanchez", "Sánchez"},   {"perez", "Pérez"},
    {"gomez", "Gómez"},       {"martin", "Martín"},       {"jimenez", "Jiménez"},   {"ruiz", "Ruiz"},
    {"hernandez", "Hernández"}, {"diaz", "Díaz"},         {"moreno", "Moreno"},     {"munoz", "Muñoz"},
    {"alvarez", "Álvarez"},   {"romero", "Romero"},       {"alonso", "Alonso"},     {"gutierrez", "Gutiérrez"},
    {"navarro", "Navarro"},   {"torres", "Torres"},       {"dominguez", "Domínguez"}, {"vazquez", "Vázquez"},
    {"ramos", "Ramos"},       {"castillo", "Castillo"},   {"ortega", "Ortega"},     {"nunez", "Núñez"},
};
static const struct seed_city es_c[] = {
    {"Madrid", 40.4168, -3.7038, 3223},   {"Barcelona", 41.3874, 2.1686, 1620}, {"Valencia", 39.4699, -0.3763, 791},
    {"Sevilla", 37.3891, -5.9845, 688},   {"Zaragoza", 41.6488, -0.8891, 666},  {"Málaga", 36.7213, -4.4214, 574},
    {"Bilbao", 43.2630, -2.9350, 346},    {"Palma", 39.5696, 2.6502, 416},
};
static const struct seed_city mx_c[] = {
    {"Ciudad de México", 19.4326, -99.1332, 9209}, {"Guadalajara", 20.6597, -103.3496, 1385},
    {"Monterrey", 25.6866, -100.3161, 1142},       {"Puebla", 19.0414, -98.2063, 1692},
    {"Tijuana", 32.5149, -117.0382, 1922},         {"Mérida", 20.9674, -89.5926, 921},
};
static const struct seed_city ar_c[] = {
    {"Buenos Aires", -34.6037, -58.3816, 3075}, {"Córdoba", -31.4201, -64.1888, 1391},
    {"Rosario", -32.9442, -60.6505, 1276},      {"Mendoza", -32.8895, -68.8458, 115},
    {"Ushuaia", -54.8019, -68.3030, 57},
};
static const char *const es_d[] = {
    "Ingeniera de software", "Amante del fútbol y la música", "Profesor de historia", "Viajar es mi pasión",
    "Cocinero aficionado", "Diseñadora gráfica",
};

/* ---- Portuguese (Brazil) ---- */
static const struct seed_name br_m[] = {
    {"joao", "João"},     {"pedro", "Pedro"},     {"lucas", "Lucas"},     {"gabriel", "Gabriel"},
    {"matheus", "Matheus"}, {"rafael", "Rafael"}, {"gustavo", "Gustavo"}, {"felipe", "Felipe"},
    {"bruno", "Bruno"},   {"thiago", "Thiago"},   {"vinicius", "Vinícius"}, {"caio", "Caio"},
    {"leonardo", "Leonardo"}, {"henrique", "Henrique"}, {"andre", "André"}, {"marcos", "Marcos"},
};
static const struct seed_name br_f[] = {
    {"ana", "Ana"},         {"maria", "Maria"},     {"julia", "Júlia"},     {"beatriz", "Beatriz"},
    {"larissa", "Larissa"}, {"camila", "Camila"},   {"leticia", "Letícia"}, {"fernanda", "Fernanda"},
    {"mariana", "Mariana"}, {"amanda", "Amanda"},   {"gabriela", "Gabriela"}, {"vitoria", "Vitória"},
    {"isabela", "Isabela"}, {"luiza", "Luíza"},     {"heloisa", "Heloísa"}, {"joana", "Joana"},
};
static const struct seed_name br_s[] = {
    {"silva", "Silva"},       {"santos", "Santos"},   {"oliveira", "Oliveira"}, {"souza", "Souza"},
    {"rodrigues", "Rodrigues"}, {"ferreira", "Ferreira"}, {"alves", "Alves"},   {"pereira", "Pereira"},
    {"lima", "Lima"},         {"gomes", "Gomes"},     {"costa", "Costa"},       {"ribeiro", "Ribeiro"},
    {"martins", "Martins"},   {"carvalho", "Carvalho"}, {"almeida", "Almeida"}, {"lopes", "Lopes"},
    {"soares", "Soares"},     {"fernandes", "Fernandes"}, {"vieira", "Vieira"}, {"barbosa", "Barbosa"},
    {"araujo", "Araújo"},     {"conceicao", "Conceição"}, {"goncalves", "Gonçalves"},
};
static const struct seed_city br_c[] = {
    {"São Paulo", -23.5505, -46.6333, 12325}, {"Rio de Janeiro", -22.9068, -43.1729, 6748},
    {"Brasília", -15.7939, -47.8828, 3055},   {"Salvador", -12.9777, -38.5016, 2886},
    {"Fortaleza", -3.7319, -38.5267, 2686},   {"Belo Horizonte", -19.9167, -43.9345, 2521},
    {"Manaus", -3.1190, -60.0217, 2219},      {"Curitiba", -25.4284, -49.2733, 1948},
    {"Recife", -8.0476, -34.8770, 1653},      {"Porto Alegre", -30.0346, -51.2177, 1488},
};
static const char *const br_d[] = {
    "Apaixonado por futebol", "Fotógrafa e viajante", "Desenvolvedor de software", "Professora de inglês",
    "Música, praia e amigos",
};

/* ---- French ---- */
static const struct seed_name fr_m[] = {
    {"jean", "Jean"},       {"pierre", "Pierre"},   {"michel", "Michel"},   {"andre", "André"},
    {"philippe", "Philippe"}, {"nicolas", "Nicolas"}, {"francois", "François"}, {"louis", "Louis"},
    {"gabriel", "Gabriel"}, {"hugo", "Hugo"},       {"arthur", "Arthur"},   {"jules", "Jules"},
    {"thomas", "Thomas"},   {"jerome", "Jérôme"},   {"sebastien", "Sébastien"}, {"olivier", "Olivier"},
};
static const struct seed_name fr_f[] = {
    {"marie", "Marie"},     {"nathalie", "Nathalie"}, {"isabelle", "Isabelle"}, {"sylvie", "Sylvie"},
    {"catherine", "Catherine"}, {"camille", "Camille"}, {"lea", "Léa"},     {"chloe", "Chloé"},
    {"manon", "Manon"},     {"ines", "Inès"},       {"louise", "Louise"},   {"jade", "Jade"},
    {"elodie", "Élodie"},   {"helene", "Hélène"},   {"celine", "Céline"},   {"aurelie", "Aurélie"},
};
static const struct seed_name fr_s[] = {
    {"martin", "Martin"},   {"bernard", "Bernard"}, {"dubois", "Dubois"},   {"thomas", "Thomas"},
    {"robert", "Robert"},   {"richard", "Richard"}, {"petit", "Petit"},     {"durand", "Durand"},
    {"leroy", "Leroy"},     {"moreau", "Moreau"},   {"simon", "Simon"},     {"laurent", "Laurent"},
    {"lefebvre", "Lefebvre"}, {"michel", "Michel"}, {"garcia", "Garcia"},   {"fontaine", "Fontaine"},
    {"lefevre", "Lefèvre"}, {"francois", "François"}, {"roux", "Roux"},     {"bonnet", "Bonnet"},
};
static const struct seed_city fr_c[] = {
    {"Paris", 48.8566, 2.3522, 2161},     {"Marseille", 43.2965, 5.3698, 861}, {"Lyon", 45.7640, 4.8357, 513},
    {"Toulouse", 43.6047, 1.4442, 471},   {"Nice", 43.7102, 7.2620, 342},      {"Nantes", 47.2184, -1.5536, 303},
    {"Strasbourg", 48.5734, 7.7521, 277}, {"Bordeaux", 44.8378, -0.5792, 254}, {"Montréal", 45.5017, -73.5673, 1780},
};
static const char *const fr_d[] = {
    "Passionnée de cuisine", "Développeur et cycliste", "Professeur de français", "Amoureux des livres",
    "Photographe amateur",
};

/* ---- German ---- */
static const struct seed_name de_m[] = {
    {"peter", "Peter"},     {"michael", "Michael"}, {"thomas", "Thomas"},   {"andreas", "Andreas"},
    {"wolfgang", "Wolfgang"}, {"klaus", "Klaus"},   {"jurgen", "Jürgen"},   {"stefan", "Stefan"},
    {"lukas", "Lukas"},     {"jonas", "Jonas"},     {"felix", "Felix"},     {"maximilian", "Maximilian"},
    {"florian", "Florian"}, {"tobias", "Tobias"},   {"jorg", "Jörg"},       {"uwe", "Uwe"},
};
static const struct seed_name de_f[] = {
    {"ursula", "Ursula"},   {"monika", "Monika"},   {"petra", "Petra"},     {"sabine", "Sabine"},
    {"anna", "Anna"},       {"lena", "Lena"},       {"lea", "Lea"},         {"hannah", "Hannah"},
    {"julia", "Julia"},     {"katharina", "Katharina"}, {"sophie", "Sophie"}, {"jutta", "Jutta"},
    {"barbel", "Bärbel"},   {"gunther", "Günther"}, {"annika", "Annika"},   {"franziska", "Franziska"},
};
static const struct seed_name de_s[] = {
    {"muller", "Müller"},   {"schmidt", "Schmidt"}, {"schneider", "Schneider"}, {"fischer", "Fischer"},
    {"weber", "Weber"},     {"meyer", "Meyer"},     {"wagner", "Wagner"},   {"becker", "Becker"},
    {"schulz", "Schulz"},   {"hoffmann", "Hoffmann"}, {"schafer", "Schäfer"}, {"koch", "Koch"},
    {"bauer", "Bauer"},     {"richter", "Richter"}, {"klein", "Klein"},     {"wolf", "Wolf"},
    {"schroder", "Schröder"}, {"neumann", "Neumann"}, {"schwarz", "Schwarz"}, {"grosse", "Große"},
};
static const struct seed_city de_c[] = {
    {"Berlin", 52.5200, 13.4050, 3645},    {"Hamburg", 53.5511, 9.9937, 1841},  {"München", 48.1351, 11.5820, 1472},
    {"Köln", 50.9375, 6.9603, 1086},       {"Frankfurt am Main", 50.1109, 8.6821, 753},
    {"Stuttgart", 48.7758, 9.1829, 635},   {"Düsseldorf", 51.2277, 6.7735, 619}, {"Wien", 48.2082, 16.3738, 1897},
    {"Zürich", 47.3769, 8.5417, 421},
};
static const char *const de_d[] = {
    "Bergsteiger aus Leidenschaft", "Softwareentwicklerin", "Lehrer und Vater", "Kaffee, Bücher, Fahrrad",
    "Fußballfan",
};

/* ---- Polish ---- */
static const struct seed_name pl_m[] = {
    {"piotr", "Piotr"},     {"krzysztof", "Krzysztof"}, {"tomasz", "Tomasz"}, {"pawel", "Paweł"},
    {"michal", "Michał"},   {"marcin", "Marcin"},   {"lukasz", "Łukasz"},   {"jakub", "Jakub"},
    {"jan", "Jan"},         {"andrzej", "Andrzej"}, {"grzegorz", "Grzegorz"}, {"wojciech", "Wojciech"},
};
static const struct seed_name pl_f[] = {
    {"anna", "Anna"},       {"katarzyna", "Katarzyna"}, {"maria", "Maria"}, {"malgorzata", "Małgorzata"},
    {"agnieszka", "Agnieszka"}, {"barbara", "Barbara"}, {"ewa", "Ewa"},     {"zofia", "Zofia"},
    {"magdalena", "Magdalena"}, {"joanna", "Joanna"}, {"aleksandra", "Aleksandra"}, {"zuzanna", "Zuzanna"},
};
static const struct seed_name pl_s[] = {
    {"nowak", "Nowak"},     {"kowalski", "Kowalski"}, {"wisniewski", "Wiśniewski"}, {"wojcik", "Wójcik"},
    {"kowalczyk", "Kowalczyk"}, {"kaminski", "Kamiński"}, {"lewandowski", "Lewandowski"},
    {"zielinski", "Zieliński"}, {"szymanski", "Szymański"}, {"wozniak", "Woźniak"}, {"dabrowski", "Dąbrowski"},
    {"kozlowski", "Kozłowski"}, {"jankowski", "Jankowski"}, {"mazur", "Mazur"}, {"krawczyk", "Krawczyk"},
    {"brzeczyszczykiewicz", "Brzęczyszczykiewicz"},
};
static const struct seed_city pl_c[] = {
    {"Warszawa", 52.2297, 21.0122, 1794}, {"Kraków", 50.0647, 19.9450, 780}, {"Łódź", 51.7592, 19.4560, 677},
    {"Wrocław", 51.1079, 17.0385, 643},   {"Poznań", 52.4064, 16.9252, 532}, {"Gdańsk", 54.3520, 18.6466, 471},
};
static const char *const pl_d[] = {"Programista i rowerzysta", "Nauczycielka angielskiego", "Miłośnik gór"};

/* ---- Russian (Cyrillic) ---- */
static const struct seed_name ru_m[] = {
    {"aleksandr", "Александр"}, {"sergey", "Сергей"}, {"dmitry", "Дмитрий"}, {"andrey", "Андрей"},
    {"aleksey", "Алексей"},    {"maksim", "Максим"}, {"ivan", "Иван"},      {"mikhail", "Михаил"},
    {"nikolay", "Николай"},    {"artyom", "Артём"},  {"vladimir", "Владимир"}, {"pavel", "Павел"},
};
static const struct seed_name ru_f[] = {
    {"elena", "Елена"},   {"olga", "Ольга"},     {"natalia", "Наталья"}, {"anna", "Анна"},
    {"maria", "Мария"},   {"tatiana", "Татьяна"}, {"irina", "Ирина"},    {"svetlana", "Светлана"},
    {"ekaterina", "Екатерина"}, {"anastasia", "Анастасия"}, {"yulia", "Юлия"}, {"darya", "Дарья"},
};
static const struct seed_name ru_s[] = {
    {"ivanov", "Иванов"},   {"smirnov", "Смирнов"}, {"kuznetsov", "Кузнецов"}, {"popov", "Попов"},
    {"vasilyev", "Васильев"}, {"petrov", "Петров"}, {"sokolov", "Соколов"}, {"mikhaylov", "Михайлов"},
    {"novikov", "Новиков"}, {"fyodorov", "Фёдоров"}, {"morozov", "Морозов"}, {"volkov", "Волков"},
    {"alekseev", "Алексеев"}, {"lebedev", "Лебедев"}, {"semyonov", "Семёнов"}, {"egorov", "Егоров"},
};
static const struct seed_city ru_c[] = {
    {"Москва", 55.7558, 37.6173, 12506},        {"Санкт-Петербург", 59.9343, 30.3351, 5384},
    {"Новосибирск", 55.0084, 82.9357, 1625},    {"Екатеринбург", 56.8389, 60.6057, 1493},
    {"Казань", 55.8304, 49.0661, 1257},         {"Владивосток", 43.1155, 131.8855, 606},
};
static const char *const ru_d[] = {"Люблю путешествовать", "Программист", "Учитель музыки", "Фотограф"};

/* ---- Greek ---- */
static const struct seed_name el_m[] = {
    {"georgios", "Γιώργος"}, {"dimitrios", "Δημήτρης"}, {"konstantinos", "Κωνσταντίνος"},
    {"ioannis", "Γιάννης"},  {"nikolaos", "Νίκος"},     {"panagiotis", "Παναγιώτης"},
};
static const struct seed_name el_f[] = {
    {"maria", "Μαρία"},      {"eleni", "Ελένη"},        {"aikaterini", "Κατερίνα"},
    {"vasiliki", "Βασιλική"}, {"sofia", "Σοφία"},       {"georgia", "Γεωργία"},
};
static const struct seed_name el_s[] = {
    {"papadopoulos", "Παπαδόπουλος"}, {"papadakis", "Παπαδάκης"}, {"georgiou", "Γεωργίου"},
    {"oikonomou", "Οικονόμου"},       {"pappas", "Παππάς"},       {"vlachos", "Βλάχος"},
    {"dimitriou", "Δημητρίου"},       {"nikolaidis", "Νικολαΐδης"},
};
static const struct seed_city el_c[] = {
    {"Αθήνα", 37.9838, 23.7275, 3154}, {"Θεσσαλονίκη", 40.6401, 22.9444, 1030}, {"Πάτρα", 38.2466, 21.7346, 214},
};
static const char *const el_d[] = {"Λάτρης της θάλασσας", "Μηχανικός λογισμικού"};

/* ---- Arabic ---- */
static const struct seed_name ar_m[] = {
    {"mohamed", "محمد"}, {"ahmed", "أحمد"}, {"ali", "علي"},     {"omar", "عمر"},    {"youssef", "يوسف"},
    {"khaled", "خالد"},  {"hassan", "حسن"}, {"ibrahim", "إبراهيم"}, {"mahmoud", "محمود"}, {"abdullah", "عبدالله"},
};
static const struct seed_name ar_f[] = {
    {"fatima", "فاطمة"}, {"aisha", "عائشة"}, {"mariam", "مريم"}, {"nour", "نور"},   {"layla", "ليلى"},
    {"sara", "سارة"},    {"huda", "هدى"},    {"zainab", "زينب"}, {"salma", "سلمى"}, {"yasmin", "ياسمين"},
};
static const struct seed_name ar_s[] = {
    {"hassan", "حسن"},    {"hussein", "حسين"}, {"ali", "علي"},     {"ibrahim", "إبراهيم"}, {"mahmoud", "محمود"},
    {"abdelrahman", "عبدالرحمن"}, {"khalil", "خليل"}, {"saleh", "صالح"}, {"nasser", "ناصر"}, {"haddad", "حداد"},
    {"al_masri", "المصري"}, {"al_amin", "الأمين"},
};
static const struct seed_city ar_cc[] = {
    {"القاهرة", 30.0444, 31.2357, 9540},  {"الإسكندرية", 31.2001, 29.9187, 5200}, {"الرياض", 24.7136, 46.6753, 7009},
    {"جدة", 21.4858, 39.1925, 3976},      {"دبي", 25.2048, 55.2708, 3331},         {"الدار البيضاء", 33.5731, -7.5898, 3359},
    {"عمّان", 31.9454, 35.9284, 4007},    {"تونس", 36.8065, 10.1815, 638},
};
static const char *const ar_d[] = {"مهندس برمجيات", "أحب القراءة والسفر", "طالبة طب"};

/* ---- Hindi (Devanagari) ---- */
static const struct seed_name hi_m[] = {
    {"rahul", "राहुल"}, {"amit", "अमित"},   {"rajesh", "राजेश"}, {"suresh", "सुरेश"}, {"vijay", "विजय"},
    {"arjun", "अर्जुन"}, {"aarav", "आरव"},  {"rohan", "रोहन"},   {"sanjay", "संजय"}, {"anil", "अनिल"},
    {"ravi", "रवि"},    {"vikram", "विक्रम"},
};
static const struct seed_name hi_f[] = {
    {"priya", "प्रिया"}, {"anjali", "अंजलि"}, {"pooja", "पूजा"}, {"sunita", "सुनीता"}, {"neha", "नेहा"},
    {"kavita", "कविता"}, {"ananya", "अनन्या"}, {"divya", "दिव्या"}, {"aditi", "अदिति"}, {"meera", "मीरा"},
    {"lakshmi", "लक्ष्मी"}, {"riya", "रिया"},
};
static const struct seed_name hi_s[] = {
    {"sharma", "शर्मा"}, {"verma", "वर्मा"}, {"gupta", "गुप्ता"}, {"singh", "सिंह"}, {"kumar", "कुमार"},
    {"patel", "पटेल"},   {"yadav", "यादव"},  {"mishra", "मिश्रा"}, {"reddy", "रेड्डी"}, {"joshi", "जोशी"},
    {"iyer", "अय्यर"},   {"nair", "नायर"},   {"chopra", "चोपड़ा"}, {"mehta", "मेहता"},
};
static const struct seed_city hi_c[] = {
    {"Mumbai", 19.0760, 72.8777, 12442}, {"Delhi", 28.7041, 77.1025, 11034}, {"Bengaluru", 12.9716, 77.5946, 8443},
    {"Hyderabad", 17.3850, 78.4867, 6993}, {"Ahmedabad", 23.0225, 72.5714, 5577}, {"Chennai", 13.0827, 80.2707, 4646},
    {"Kolkata", 22.5726, 88.3639, 4497},   {"Pune", 18.5204, 73.8567, 3124},     {"जयपुर", 26.9124, 75.7873, 3046},
};
static const char *const hi_d[] = {"सॉफ्टवेयर इंजीनियर", "Cricket fan and coder", "संगीत प्रेमी", "Doctor in training"};

/* ---- Chinese ---- */
static const struct seed_name zh_m[] = {
    {"wei", "伟"}, {"qiang", "强"}, {"lei", "磊"}, {"jun", "军"}, {"yang", "洋"}, {"yong", "勇"},
    {"jie", "杰"}, {"tao", "涛"},   {"ming", "明"}, {"chao", "超"}, {"hao", "浩"}, {"yu", "宇"},
};
static const struct seed_name zh_f[] = {
    {"fang", "芳"}, {"na", "娜"},   {"min", "敏"}, {"jing", "静"}, {"li", "丽"},  {"yan", "艳"},
    {"juan", "娟"}, {"xia", "霞"},  {"ting", "婷"}, {"xue", "雪"}, {"hui", "慧"}, {"ying", "颖"},
};
static const struct seed_name zh_s[] = {
    {"wang", "王"}, {"li", "李"},  {"zhang", "张"}, {"liu", "刘"},  {"chen", "陈"}, {"yang", "杨"},
    {"huang", "黄"}, {"zhao", "赵"}, {"wu", "吴"},  {"zhou", "周"},  {"xu", "徐"},  {"sun", "孙"},
    {"ma", "马"},   {"zhu", "朱"},  {"hu", "胡"},   {"guo", "郭"},  {"he", "何"},   {"lin", "林"},
};
static const struct seed_city zh_c[] = {
    {"北京", 39.9042, 116.4074, 21540}, {"上海", 31.2304, 121.4737, 24870}, {"广州", 23.1291, 113.2644, 15300},
    {"深圳", 22.5431, 114.0579, 13440}, {"成都", 30.5728, 104.0668, 16330}, {"台北", 25.0330, 121.5654, 2602},
    {"香港", 22.3193, 114.1694, 7482},
};
static const char *const zh_d[] = {"热爱摄影", "软件工程师", "喜欢旅行和美食"};

/* ---- Japanese ---- */
static const struct seed_name ja_m[] = {
    {"haruto", "陽翔"}, {"sota", "蒼太"}, {"ren", "蓮"}, {"yuto", "悠斗"}, {"hiroshi", "浩"}, {"takeshi", "健"},
    {"kenji", "健二"},  {"daiki", "大輝"},
};
static const struct seed_name ja_f[] = {
    {"yui", "結衣"}, {"sakura", "さくら"}, {"hina", "陽菜"}, {"aoi", "葵"}, {"yuki", "由紀"}, {"mei", "芽依"},
    {"haruka", "遥"}, {"akiko", "明子"},
};
static const struct seed_name ja_s[] = {
    {"sato", "佐藤"},   {"suzuki", "鈴木"}, {"takahashi", "高橋"}, {"tanaka", "田中"}, {"watanabe", "渡辺"},
    {"ito", "伊藤"},    {"yamamoto", "山本"}, {"nakamura", "中村"}, {"kobayashi", "小林"}, {"kato", "加藤"},
};
static const struct seed_city ja_c[] = {
    {"東京", 35.6762, 139.6503, 13960}, {"大阪", 34.6937, 135.5023, 2691}, {"名古屋", 35.1815, 136.9066, 2296},
    {"札幌", 43.0618, 141.3545, 1973},  {"福岡", 33.5904, 130.4017, 1612}, {"那覇", 26.2124, 127.6809, 317},
};
static const char *const ja_d[] = {"写真が好きです", "エンジニア", "旅行と音楽"};

/* ---- Korean ---- */
static const struct seed_name ko_m[] = {
    {"minjun", "민준"}, {"seojun", "서준"}, {"dohyun", "도현"}, {"jiho", "지호"}, {"junseo", "준서"},
    {"hyunwoo", "현우"},
};
static const struct seed_name ko_f[] = {
    {"seoyeon", "서연"}, {"jiwoo", "지우"}, {"seoyun", "서윤"}, {"jimin", "지민"}, {"haeun", "하은"},
    {"sua", "수아"},
};
static const struct seed_name ko_s[] = {
    {"kim", "김"}, {"lee", "이"}, {"park", "박"}, {"choi", "최"}, {"jung", "정"}, {"kang", "강"}, {"cho", "조"},
    {"yoon", "윤"},
};
static const struct seed_city ko_c[] = {
    {"서울", 37.5665, 126.9780, 9776}, {"부산", 35.1796, 129.0756, 3429}, {"인천", 37.4563, 126.7052, 2954},
};
static const char *const ko_d[] = {"커피를 좋아해요", "개발자입니다"};

#define CULTURE(code, w, order, fem, pct, m, f, s, c, d)                                                            \
    {code, w, order, fem, pct, m, f, s, N(m), N(f), N(s), c, N(c), d, N(d)}

static const struct seed_culture seed_cultures[] = {
    CULTURE("it", 12, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, it_m, it_f, it_s, it_c, it_d),
    CULTURE("en-US", 14, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, us_m, us_f, us_s, us_c, en_d),
    CULTURE("en-GB", 6, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, gb_m, gb_f, gb_s, gb_c, en_d),
    CULTURE("es", 8, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, es_m, es_f, es_s, es_c, es_d),
    CULTURE("es-MX", 6, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, es_m, es_f, es_s, mx_c, es_d),
    CULTURE("es-AR", 3, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, es_m, es_f, es_s, ar_c, es_d),
    CULTURE("pt-BR", 8, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, br_m, br_f, br_s, br_c, br_d),
    CULTURE("fr", 6, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, fr_m, fr_f, fr_s, fr_c, fr_d),
    CULTURE("de", 6, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 100, de_m, de_f, de_s, de_c, de_d),
    CULTURE("pl", 3, SEED_GIVEN_FIRST, SEED_FEMALE_PL, 100, pl_m, pl_f, pl_s, pl_c, pl_d),
    CULTURE("ru", 5, SEED_GIVEN_FIRST, SEED_FEMALE_RU, 75, ru_m, ru_f, ru_s, ru_c, ru_d),
    CULTURE("el", 2, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 75, el_m, el_f, el_s, el_c, el_d),
    CULTURE("ar", 5, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 70, ar_m, ar_f, ar_s, ar_cc, ar_d),
    CULTURE("hi", 6, SEED_GIVEN_FIRST, SEED_FEMALE_SAME, 40, hi_m, hi_f, hi_s, hi_c, hi_d),
    CULTURE("zh", 5, SEED_FAMILY_FIRST_NOSPACE, SEED_FEMALE_SAME, 80, zh_m, zh_f, zh_s, zh_c, zh_d),
    CULTURE("ja", 3, SEED_FAMILY_FIRST, SEED_FEMALE_SAME, 80, ja_m, ja_f, ja_s, ja_c, ja_d),
    CULTURE("ko", 2, SEED_FAMILY_FIRST_NOSPACE, SEED_FEMALE_SAME, 85, ko_m, ko_f, ko_s, ko_c, ko_d),
};

/* Tags: name, share of users carrying it (per 10000), visible, active. */
static const struct {
    const char *name;
    int per10k;
    int visible, active;
    const char *color;
} seed_tags[] = {
    {"verified", 1500, 1, 1, "#1E88E5"},     {"newcomer", 1200, 1, 1, "#43A047"},
    {"student", 1000, 1, 1, "#8E24AA"},      {"volunteer", 800, 1, 1, "#F4511E"},
    {"premium", 600, 1, 1, "#FDD835"},       {"developer", 500, 1, 1, "#3949AB"},
    {"photographer", 400, 1, 1, "#00ACC1"},  {"early adopter", 300, 1, 1, "#6D4C41"},
    {"designer", 300, 1, 1, "#D81B60"},      {"beta tester", 200, 1, 1, "#546E7A"},
    {"local guide", 200, 1, 1, "#7CB342"},   {"teacher", 200, 1, 1, "#5E35B1"},
    {"writer", 200, 1, 1, "#C0CA33"},        {"musician", 200, 1, 1, "#00897B"},
    {"mentor", 150, 1, 1, "#FB8C00"},        {"event host", 100, 1, 1, "#E53935"},
    {"top contributor", 80, 1, 1, "#FFB300"}, {"ambassador", 50, 1, 1, "#039BE5"},
    {"founding member", 20, 1, 1, "#3B3B3B"}, {"moderation team", 10, 1, 1, "#212121"},
    {"flagged for review", 30, 0, 1, "#B71C1C"}, {"legacy", 100, 1, 0, "#9E9E9E"},
};

/* Categories, most followed first. */
static const char *const seed_categories[] = {
    "Travel", "Food", "Technology", "Music", "Sports", "Movies", "Photography", "Books", "Gaming", "Fitness",
    "Science", "Art", "Cooking", "Nature", "Fashion", "Health", "Pets", "Design", "Startups", "History",
    "Languages", "DIY", "Gardening", "Cars", "Finance", "Education", "Parenting", "Writing", "Volunteering",
    "Astronomy",
};

#endif
