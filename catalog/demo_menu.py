"""Casa Lucía's demo catalog as plain data: a Spanish/Mediterranean carta and a menú del día.

Prices are Decimal (never float) in EUR. VAT follows the brief: 10 % for food and
soft drinks, 21 % for alcohol. Names stay in the restaurant's own language.
SKUs are unique across products, variants and options of the restaurant.
"""

from __future__ import annotations

from decimal import Decimal as D

FOOD = D("10.00")
ALCOHOL = D("21.00")

RESTAURANT = {
    "slug": "casa-lucia",
    "name": "Casa Lucía",
    "timezone": "Europe/Madrid",
    "currency": "EUR",
    "address": "Calle de Cervantes 12, 28014 Madrid",
    "phone": "+34 910 000 000",
}

# ref, name, min, max, max per option, options as (sku, name, extra price, VAT)
OPTION_CATEGORIES = [
    {
        "ref": "extra-toppings", "name": "Extra toppings", "min": 0, "max": 5, "max_per_option": 2,
        "options": [
            ("OPT-TOP-QUESO", "Extra de mozzarella", D("1.50"), FOOD),
            ("OPT-TOP-JAMON", "Jamón serrano", D("2.00"), FOOD),
            ("OPT-TOP-CHAMP", "Champiñones", D("1.00"), FOOD),
            ("OPT-TOP-ACEIT", "Aceitunas negras", D("1.00"), FOOD),
            ("OPT-TOP-PIMI", "Pimiento asado", D("1.00"), FOOD),
            ("OPT-TOP-CHORI", "Chorizo picante", D("1.50"), FOOD),
            ("OPT-TOP-ANCHO", "Anchoas del Cantábrico", D("2.50"), FOOD),
        ],
    },
    {
        "ref": "salsa", "name": "Elige tu salsa", "min": 1, "max": 1, "max_per_option": 1,
        "options": [
            ("OPT-SAL-BRAVA", "Salsa brava", D("0.00"), FOOD),
            ("OPT-SAL-ALIOLI", "Alioli", D("0.00"), FOOD),
            ("OPT-SAL-MIXTA", "Mitad brava, mitad alioli", D("0.50"), FOOD),
            ("OPT-SAL-ROMESCO", "Romesco", D("0.80"), FOOD),
        ],
    },
    {
        "ref": "punto-carne", "name": "Punto de la carne", "min": 1, "max": 1, "max_per_option": 1,
        "options": [
            ("OPT-PUN-POCO", "Poco hecha", D("0.00"), FOOD),
            ("OPT-PUN-PUNTO", "Al punto", D("0.00"), FOOD),
            ("OPT-PUN-HECHA", "Muy hecha", D("0.00"), FOOD),
        ],
    },
    {
        "ref": "guarnicion", "name": "Guarnición", "min": 1, "max": 1, "max_per_option": 1,
        "options": [
            ("OPT-GUA-FRITAS", "Patatas fritas caseras", D("0.00"), FOOD),
            ("OPT-GUA-ENSAL", "Ensalada verde", D("0.00"), FOOD),
            ("OPT-GUA-PANAD", "Patatas panaderas", D("1.00"), FOOD),
            ("OPT-GUA-VERD", "Verduras a la plancha", D("1.50"), FOOD),
        ],
    },
    {
        "ref": "extras-hamburguesa", "name": "Extras de la hamburguesa", "min": 0, "max": 3, "max_per_option": 1,
        "options": [
            ("OPT-HAM-HUEVO", "Huevo frito", D("1.00"), FOOD),
            ("OPT-HAM-BACON", "Bacon crujiente", D("1.50"), FOOD),
            ("OPT-HAM-CHEDDAR", "Queso cheddar", D("1.00"), FOOD),
        ],
    },
    {
        "ref": "sabores-helado", "name": "Sabores de helado", "min": 1, "max": 2, "max_per_option": 2,
        "options": [
            ("OPT-HEL-VAINI", "Vainilla", D("0.00"), FOOD),
            ("OPT-HEL-CHOCO", "Chocolate", D("0.00"), FOOD),
            ("OPT-HEL-TURRON", "Turrón", D("0.00"), FOOD),
            ("OPT-HEL-FRESA", "Fresa", D("0.00"), FOOD),
        ],
    },
    {
        "ref": "refresco", "name": "Elige tu refresco", "min": 1, "max": 1, "max_per_option": 1,
        "options": [
            ("OPT-REF-COLA", "Coca-Cola", D("0.00"), FOOD),
            ("OPT-REF-ZERO", "Coca-Cola Zero", D("0.00"), FOOD),
            ("OPT-REF-NARAN", "Fanta de naranja", D("0.00"), FOOD),
            ("OPT-REF-LIMON", "Fanta de limón", D("0.00"), FOOD),
        ],
    },
    {
        "ref": "tipo-cafe", "name": "¿Cómo quieres el café?", "min": 1, "max": 1, "max_per_option": 1,
        "options": [
            ("OPT-CAF-SOLO", "Solo", D("0.00"), FOOD),
            ("OPT-CAF-CORTADO", "Cortado", D("0.00"), FOOD),
            ("OPT-CAF-LECHE", "Con leche", D("0.20"), FOOD),
            ("OPT-CAF-AVENA", "Con bebida de avena", D("0.40"), FOOD),
        ],
    },
]


def _product(sku, name, price, description="", vat=FOOD, variants=(), options=()):
    """One product row; variants are (sku, name, full price), options are category refs."""
    return {
        "sku": sku, "name": name, "price": price, "description": description, "vat_rate": vat,
        "variants": list(variants), "option_categories": list(options),
    }


def _pizza(sku, name, mediana, familiar, description):
    """Pizzas come in two sizes and take extra toppings."""
    return _product(
        sku, name, mediana, description,
        variants=[(f"{sku}-M", "Mediana (30 cm)", mediana), (f"{sku}-F", "Familiar (40 cm)", familiar)],
        options=["extra-toppings"],
    )


PRODUCTS = [
    # Entrantes
    _product("ENT-CROQ", "Croquetas de jamón ibérico (6 uds.)", D("8.50"), "Cremosas, con bechamel de la abuela."),
    _product("ENT-BRAV", "Patatas bravas", D("6.50"), "Patata frita en dados con salsa a elegir.",
             options=["salsa"]),
    _product("ENT-ENSA", "Ensalada mixta", D("8.00"), "Lechuga, tomate, cebolla, atún, huevo y aceitunas."),
    _product("ENT-GAZP", "Gazpacho andaluz", D("6.00"), "Frío, con su guarnición."),
    _product("ENT-PADR", "Pimientos de Padrón", D("7.00"), "Unos pican y otros no."),
    _product("ENT-JAMO", "Jamón ibérico de bellota", D("19.50"), "Cortado a cuchillo, con pan con tomate.",
             variants=[("ENT-JAMO-MEDIA", "Media ración", D("11.00")), ("ENT-JAMO-RAC", "Ración", D("19.50"))]),
    _product("ENT-BURR", "Burrata con tomate y pesto", D("11.50"), "Burrata pugliese, tomate rosa y albahaca."),
    # Tapas
    _product("TAP-TORT", "Tortilla de patatas", D("3.50"), "Jugosa, con cebolla.",
             variants=[("TAP-TORT-PINCHO", "Pincho", D("3.50")), ("TAP-TORT-ENTERA", "Entera", D("14.00"))]),
    _product("TAP-CALA", "Calamares a la andaluza", D("10.50"), "Con salsa a elegir.", options=["salsa"]),
    _product("TAP-GAMB", "Gambas al ajillo", D("12.50"), "En cazuela de barro, con guindilla."),
    _product("TAP-BOQU", "Boquerones en vinagre", D("7.50"), "Con ajo y perejil."),
    _product("TAP-PULP", "Pulpo a la gallega", D("16.00"), "Con cachelos, pimentón y aceite de oliva.",
             variants=[("TAP-PULP-MEDIA", "Media ración", D("9.50")), ("TAP-PULP-RAC", "Ración", D("16.00"))]),
    _product("TAP-ALBO", "Albóndigas caseras en salsa", D("8.50"), "De ternera y cerdo, salsa de tomate."),
    _product("TAP-CHOP", "Chopitos fritos", D("9.00"), "Con limón."),
    # Pizzas
    _pizza("PIZ-MARG", "Pizza Margarita", D("9.50"), D("14.50"), "Tomate, mozzarella y albahaca."),
    _pizza("PIZ-PROS", "Pizza Prosciutto e funghi", D("11.50"), D("16.50"), "Jamón cocido y champiñones."),
    _pizza("PIZ-QUES", "Pizza Cuatro quesos", D("11.00"), D("16.00"), "Mozzarella, gorgonzola, parmesano y cabra."),
    _pizza("PIZ-DIAV", "Pizza Diavola", D("11.50"), D("16.50"), "Salami picante y guindilla."),
    _pizza("PIZ-VEGE", "Pizza Vegetal", D("10.50"), D("15.50"), "Berenjena, calabacín, pimiento y cebolla."),
    # Principales
    _product("PRI-PAEL", "Paella valenciana (por persona)", D("15.50"), "Pollo, conejo y garrofó. Mínimo 2."),
    _product("PRI-ARRN", "Arroz negro con alioli (por persona)", D("16.00"), "Con sepia y calamar."),
    _product("PRI-ENTR", "Entrecot de ternera (300 g)", D("22.00"), "A la brasa.",
             options=["punto-carne", "guarnicion"]),
    _product("PRI-SECR", "Secreto ibérico", D("18.50"), "A la brasa, con sal en escamas.", options=["guarnicion"]),
    _product("PRI-LUBI", "Lubina a la plancha", D("19.00"), "Con verduras de temporada."),
    _product("PRI-HAMB", "Hamburguesa Casa Lucía", D("13.50"), "Vaca madurada, pan brioche, cebolla caramelizada.",
             options=["punto-carne", "extras-hamburguesa", "guarnicion"]),
    _product("PRI-POLL", "Pollo al ajillo", D("12.50"), "Con patatas panaderas."),
    # Postres
    _product("POS-TART", "Tarta de queso", D("6.00"), "Al horno, cremosa por dentro."),
    _product("POS-CREM", "Crema catalana", D("5.50"), "Quemada al momento."),
    _product("POS-FLAN", "Flan casero", D("4.50"), "Con nata."),
    _product("POS-CHUR", "Churros con chocolate", D("5.50"), "Seis churros y taza de chocolate."),
    _product("POS-HELA", "Helado artesano", D("4.50"), "Dos bolas.", options=["sabores-helado"]),
    # Bebidas
    _product("BEB-AGUA", "Agua mineral", D("2.00"),
             variants=[("BEB-AGUA-50", "50 cl", D("2.00")), ("BEB-AGUA-100", "1 l", D("3.00"))]),
    _product("BEB-REFR", "Refresco (33 cl)", D("2.80"), options=["refresco"]),
    _product("BEB-ZUMO", "Zumo de naranja natural", D("3.50")),
    _product("BEB-CAFE", "Café", D("1.60"), options=["tipo-cafe"]),
    _product("BEB-CERV", "Cerveza de barril", D("2.50"), vat=ALCOHOL,
             variants=[("BEB-CERV-CANA", "Caña", D("2.50")), ("BEB-CERV-JARRA", "Jarra (50 cl)", D("4.50"))]),
    _product("BEB-VINO", "Vino tinto Rioja crianza", D("3.50"), vat=ALCOHOL,
             variants=[("BEB-VINO-COPA", "Copa", D("3.50")), ("BEB-VINO-BOT", "Botella", D("18.00"))]),
    _product("BEB-SANG", "Sangría de la casa", D("4.50"), vat=ALCOHOL,
             variants=[("BEB-SANG-COPA", "Copa", D("4.50")), ("BEB-SANG-JARRA", "Jarra (1 l)", D("14.00"))]),
    _product("BEB-TINT", "Tinto de verano", D("3.50"), vat=ALCOHOL),
]

MENUS = [
    {
        "name": "Carta", "kind": "regular", "set_price": None,
        "sections": [
            ("Entrantes", "Para abrir boca y compartir.",
             ["ENT-CROQ", "ENT-BRAV", "ENT-ENSA", "ENT-GAZP", "ENT-PADR", "ENT-JAMO", "ENT-BURR"]),
            ("Tapas", "Raciones y medias raciones.",
             ["TAP-TORT", "TAP-CALA", "TAP-GAMB", "TAP-BOQU", "TAP-PULP", "TAP-ALBO", "TAP-CHOP"]),
            ("Pizzas", "Masa madre, horno de piedra.", ["PIZ-MARG", "PIZ-PROS", "PIZ-QUES", "PIZ-DIAV", "PIZ-VEGE"]),
            ("Principales", "Arroces, carnes y pescados.",
             ["PRI-PAEL", "PRI-ARRN", "PRI-ENTR", "PRI-SECR", "PRI-LUBI", "PRI-HAMB", "PRI-POLL"]),
            ("Postres", "Caseros.", ["POS-TART", "POS-CREM", "POS-FLAN", "POS-CHUR", "POS-HELA"]),
            ("Bebidas", "", ["BEB-AGUA", "BEB-REFR", "BEB-ZUMO", "BEB-CAFE", "BEB-CERV", "BEB-VINO", "BEB-SANG",
                             "BEB-TINT"]),
        ],
    },
    {
        "name": "Menú del día", "kind": "set_menu", "set_price": D("14.50"),
        "sections": [
            ("Primeros", "Elige un primero.", ["ENT-GAZP", "ENT-ENSA", "ENT-CROQ", "TAP-ALBO"]),
            ("Segundos", "Elige un segundo.", ["PRI-POLL", "PRI-LUBI", "PRI-PAEL", "PRI-SECR"]),
            ("Postres", "Postre o café.", ["POS-FLAN", "POS-CREM", "POS-HELA", "BEB-CAFE"]),
            ("Bebida", "Pan y una bebida incluidos.", ["BEB-AGUA", "BEB-REFR", "BEB-CERV", "BEB-VINO"]),
        ],
    },
]
