from django.urls import path

from accounts.views import shop

app_name = "accounts"

urlpatterns = [
    path("", shop.AccountOverviewView.as_view(), name="overview"),
    path("addresses/", shop.AddressListView.as_view(), name="address-list"),
    path("addresses/add/", shop.AddressCreateView.as_view(), name="address-create"),
    path("addresses/<int:address_id>/edit/", shop.AddressUpdateView.as_view(), name="address-update"),
    path("addresses/<int:address_id>/delete/", shop.AddressDeleteView.as_view(), name="address-delete"),
    path(
        "addresses/<int:address_id>/default/",
        shop.AddressSetDefaultView.as_view(),
        name="address-set-default",
    ),
    path("sell/", shop.SellerApplyView.as_view(), name="seller-apply"),
]
